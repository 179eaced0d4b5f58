import NeuralEngine
import Training
import Models

/// What the session keeps of a run, during and after it: the set-up it ran, its histories and
/// results. A plain value, filled in from the run's reports by `apply(_:)`; kept after the run's
/// model is gone, for `runs` and `expect`.
///
/// The per-update loss history is bounded (`LossHistory` keeps min/max per bucket), so a run of
/// millions of updates still fits and draws faithfully.
public struct RunRecord: Sendable, Codable, Equatable {
    /// A live change marked on the loss chart: `▲lr=0.01` at an update.
    public struct Marker: Sendable, Equatable, Codable {
        public var update: Int
        public var label: String
    }

    public enum Status: String, Sendable, Codable { case ready, training, paused, stopped, finished, diverged, loaded }

    /// What the run is for.
    public enum Role: Equatable, Sendable, Codable {
        /// `train` or `step`.
        case single
        /// Fold `index` (1-based) of a `cv k=of`.
        case fold(index: Int, of: Int)
        /// The pooled out-of-fold results of a `cv k=…`, with no model of its own.
        case crossValidation(k: Int)
        /// One optimizer of a `compare` race.
        case racer
    }

    public let id: Int
    /// The name `train name=` gave it, by which commands find it (`compare NAME …`).
    public var name: String?
    /// Its number in the run store (`@12`), once it is kept.
    public var kept: Int?
    /// A run from the store that is not one of this session's (`compare @12`): how it is
    /// labelled instead of its old session's number (`@12 baseline`).
    public var shownAs: String?
    /// Its number and, when it has one, its name (`3 right`): how tables and charts label it.
    public var label: String { shownAs ?? name.map { "\(id) \($0)" } ?? "\(id)" }
    /// The set-up the run was made from (what `set` changed later is in `markers`).
    public let setup: Setup
    /// The model it trains, as built for its data.
    public let architecture: ModelArchitecture?
    /// The loss it minimises (the set-up's, or the model's own).
    public let loss: LossKind
    public let role: Role
    public var plannedEpochs: Int
    /// Epoch lines are printed every this many epochs (and at the plan's end).
    public var reportEvery = 1
    /// False for runs whose epoch lines would interleave with others' (a race's racers).
    public var reportsEpochs = true
    /// Classification metric name (`acc`) or regression (`r2`).
    public let metricName: String
    /// Trainable parameters of its model (nil for records without a model of their own).
    public var parameterCount: Int?

    public var status: Status = .ready
    public var updates = 0
    public var epochs = 0
    public var learningRate: Float = .nan
    public var lossHistory = LossHistory()
    /// For a model with exactly two trainable scalars, the (w, b) it went through from its start.
    public var path = ParameterPath()
    public var epochHistory: [EpochRecord] = []
    public var markers: [Marker] = []
    /// With early stopping, the epoch whose weights the run ended with.
    public var bestEpoch: Int?
    public var trainEvaluation: Evaluation?
    /// How many training samples `trainEvaluation` was measured on, when not all of them (a
    /// large training set's spread sample: `EvaluationSample`).
    public var trainEvaluated: Int?
    public var validationEvaluation: Evaluation?
    /// How many validation samples `validationEvaluation` was measured on, when not all of them.
    public var validationEvaluated: Int?
    /// After a divergence: the update whose weights came back and their loss, which the status
    /// line shows while the run waits, and the update the blow-up was caught at (it stays on the
    /// loss chart as a `diverged` marker; the contour frames the path without it).
    public struct CameBack: Sendable, Codable, Equatable {
        public var update: Int
        public var loss: Float
        public var caughtAt: Int
    }
    public var cameBack: CameBack?
    /// Updates the run had when it was loaded from a file (`load`): not made in `seconds`.
    public var loadedUpdates: Int?
    /// Seconds spent training (paused time not counted).
    public var seconds: Double = 0
    public var droppedEvents = 0

    public init(id: Int, setup: Setup, architecture: ModelArchitecture?, loss: LossKind, role: Role,
                plannedEpochs: Int, metricName: String) {
        self.id = id
        self.setup = setup
        self.architecture = architecture
        self.loss = loss
        self.role = role
        self.plannedEpochs = plannedEpochs
        self.metricName = metricName
    }

    /// "epoch 3/10" within the run's plan; "epoch 12" once `step` has gone on past its end, or
    /// when it had no plan (a run made for stepping).
    public static func epochProgress(_ epoch: Int, of planned: Int) -> String {
        planned > 0 && epoch <= planned ? "epoch \(epoch)/\(planned)" : "epoch \(epoch)"
    }

    /// `epochProgress` for the epochs done so far.
    public var epochProgress: String { Self.epochProgress(epochs, of: plannedEpochs) }

    // MARK: - Names, as `runs` and the panes show them

    /// The data it learned from: `spiral n=400`, `iris · cv fold 2/5`.
    public var dataName: String {
        let name = setup.data?.name ?? "?"
        switch role {
        case .single: return name
        case let .fold(index, k): return "\(name) · cv fold \(index)/\(k)"
        case .crossValidation(let k): return "\(name) · cv k=\(k)"
        case .racer: return "\(name) · race"
        }
    }

    public var modelName: String { setup.model?.description ?? "?" }
    public var optimizerName: String { setup.optimizer.description }
    public var batchName: String { setup.batch.description }

}
