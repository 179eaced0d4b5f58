import TensorCore
import NeuralEngine

/// What a loss reads like: one sample written by the model each time its training loss first
/// falls below a milestone (4, 3, 2.5, 2, 1.5 … 0.01), kept beside the loss chart, so a
/// learner sees what "loss 2.0" means for their own model (a word model's spelling, a sorting
/// model's answer).
///
/// The loss is smoothed over updates (an exponential moving average, weight 0.9 on the past) so
/// one lucky batch does not take a rung. The first update takes a rung too: the untrained
/// model's writing. Every sample is written from the same prompt with the same draws (`seed`),
/// so rungs differ only because the weights did.
public struct LossLadder: Sendable, Codable, Equatable {
    public struct Rung: Sendable, Codable, Equatable {
        /// The smoothed training loss when the rung was taken.
        public var loss: Float
        public var update: Int
        /// What the model wrote, as the data's symbols.
        public var sample: String
        /// For a problem with a known answer: whether the sample is that answer.
        public var right: Bool?
    }

    /// How each sample is written.
    public struct Writer: Sendable, Codable, Equatable {
        /// Symbol ids the model continues.
        public var prompt: [Int]
        public var count: Int
        /// 0: the likeliest symbols (a task's answer); 1: draws (text).
        public var temperature: Float
        /// How ids read, and what goes between them (" " for digits, "" for text).
        public var vocabulary: [String]
        public var separator: String
        /// The answer the prompt asks for, when there is one.
        public var expected: [Int]?
        public var seed: UInt64 = 7

        public init(prompt: [Int], count: Int, temperature: Float, vocabulary: [String], separator: String,
                    expected: [Int]? = nil) {
            self.prompt = prompt
            self.count = count
            self.temperature = temperature
            self.vocabulary = vocabulary
            self.separator = separator
            self.expected = expected
        }
    }

    /// The losses that take a rung, highest first.
    public static let milestones: [Float] = [4, 3, 2.5, 2, 1.5, 1.25, 1, 0.75, 0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01]
    /// The EMA's weight on the past.
    public static let smoothing: Float = 0.9

    public let writer: Writer
    public private(set) var rungs: [Rung] = []
    public private(set) var smoothed: Float?
    /// Index in `milestones` of the next one to pass.
    private var next = 0

    public init(writer: Writer) { self.writer = writer }

    /// Takes the update's batch loss; writes a sample with `model` (on the training thread,
    /// between updates) when the smoothed loss passed a milestone, or on the first update.
    /// Returns whether a rung was taken.
    @discardableResult
    public mutating func observe(_ loss: Float, update: Int, model: Sequential) -> Bool {
        guard let smoothed = due(loss) else { return false }
        take(smoothed, update: update, model: model)
        return true
    }

    /// Takes the update's batch loss into the smoothed loss; returns the smoothed loss when it
    /// passed a milestone (or on the first update): a rung is due, `take` writes it.
    public mutating func due(_ loss: Float) -> Float? {
        guard loss.isFinite else { return nil }
        let previous = smoothed
        let s = previous.map { Self.smoothing * $0 + (1 - Self.smoothing) * loss } ?? loss
        smoothed = s
        if previous == nil {
            while next < Self.milestones.count, Self.milestones[next] >= s { next += 1 }
        } else {
            guard next < Self.milestones.count, s < Self.milestones[next] else { return nil }
            while next < Self.milestones.count, Self.milestones[next] > s { next += 1 }
        }
        return s
    }

    /// Takes the rung `due` announced: a sample written with `model` at `update`.
    public mutating func take(_ smoothed: Float, update: Int, model: Sequential) {
        rungs.append(write(with: model, loss: smoothed, update: update))
    }

    private func write(with model: Sequential, loss: Float, update: Int) -> Rung {
        var rng = SeededGenerator(seed: writer.seed)
        let block = model.inputShape?.first ?? 1
        let ids = Sampling.write(after: [writer.prompt], count: writer.count, block: block,
                                 temperature: writer.temperature, rng: &rng) { try? model.predict($0) }.first?.ids ?? []
        let sample = ids.map { $0 < writer.vocabulary.count ? writer.vocabulary[$0] : "?" }.joined(separator: writer.separator)
        return Rung(loss: loss, update: update, sample: sample, right: writer.expected.map { $0 == ids })
    }
}
