import NeuralEngine

/// Everything that decides the next run, as one value: what the set-up commands (`seed`, `data`,
/// `model`, `loss`, `optimizer`, `regularize`, `dropout`, `batch`, `schedule`) built. A run keeps
/// the set-up it ran in its record; a recording starts with the commands that rebuild it
/// (`commands`). `set` changes a run, never this.
public struct Setup: Equatable, Codable, Sendable {
    /// The seed of the generator every random draw comes from.
    public var seed: UInt64 = 42
    public var data: DataSpec?
    public var model: ModelSpec?
    /// The loss the learner chose; nil: the model's own (`ModelSpec.layers(for:dropout:)`).
    public var loss: LossKind?
    public var optimizer = OptimizerConfig(.adam)
    public var regularizer: Regularizer?
    /// Dropout after each hidden dense layer; nil: none.
    public var dropout: Float?
    public var batch: BatchSize = .samples(32)
    public var schedule: Schedule = .constant
    /// Updates per second; nil: the front end's choice (a watchable pace on a screen for small
    /// data, full speed headless).
    public var pace: Pace?

    public init() {}

    /// What a session starts with, and a lesson starts from.
    public static let fresh = Setup()
}

/// Samples per update.
public enum BatchSize: Equatable, Codable, Sendable {
    /// The whole training set: gradient descent.
    case full
    case samples(Int)

    /// The size, nil for the whole training set (as `Trainer.batchSize` takes it).
    public var size: Int? {
        if case .samples(let n) = self { return n }
        return nil
    }

    public var description: String { size.map(String.init) ?? "full" }
}

/// How fast a run goes.
public enum Pace: Equatable, Codable, Sendable {
    /// As fast as the machine can.
    case max
    case updatesPerSecond(Double)

    /// Updates per second, 0 for as fast as possible (as `TrainingRun` takes it).
    public var rate: Double {
        if case .updatesPerSecond(let r) = self { return r }
        return 0
    }

    public init(rate: Double) { self = rate > 0 ? .updatesPerSecond(rate) : .max }
}
