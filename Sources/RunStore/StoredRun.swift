import Foundation

/// One epoch of a kept run, as `runs show` and the charts read it back.
public struct StoredEpoch: Sendable, Equatable, Codable {
    public var epoch: Int
    public var update: Int
    public var trainLoss: Float
    public var validationLoss: Float?
    public var validationMetric: Float?
    public var learningRate: Float

    public init(epoch: Int, update: Int, trainLoss: Float, validationLoss: Float?, validationMetric: Float?, learningRate: Float) {
        self.epoch = epoch
        self.update = update
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationMetric = validationMetric
        self.learningRate = learningRate
    }
}

/// What a run is when it is first kept: where it comes from and how it was set up. Written once.
public struct NewRun: Sendable, Equatable {
    /// Its number in its session (`run 3`).
    public var sessionRun: Int
    /// `single`, `fold`, `cv` or `racer`.
    public var role: String
    /// For a fold, a cv summary or a racer: the session number of the experiment's first run
    /// (its own for the first).
    public var experimentFirstRun: Int?
    public var name: String?
    public var data: String
    public var model: String
    public var optimizer: String
    public var batch: String
    public var seed: UInt64
    public var metricName: String
    public var parameters: Int?
    /// The typed set-up as JSON (what `reopen` and `runs show` read back).
    public var setup: String
    /// The commands that made it, one per line (a notebook's command cell).
    public var commands: [String]

    public init(sessionRun: Int, role: String, experimentFirstRun: Int?, name: String?, data: String, model: String,
                optimizer: String, batch: String, seed: UInt64, metricName: String, parameters: Int?, setup: String,
                commands: [String]) {
        self.sessionRun = sessionRun
        self.role = role
        self.experimentFirstRun = experimentFirstRun
        self.name = name
        self.data = data
        self.model = model
        self.optimizer = optimizer
        self.batch = batch
        self.seed = seed
        self.metricName = metricName
        self.parameters = parameters
        self.setup = setup
        self.commands = commands
    }
}

/// What changes while a run goes on: written at each poll that saw it change.
public struct RunProgress: Sendable, Equatable {
    public var status: String
    public var name: String?
    public var epochs: Int
    public var updates: Int
    public var seconds: Double
    public var learningRate: Float
    public var trainLoss: Float?
    public var validationLoss: Float?
    public var validationMetric: Float?
    /// The live changes marked on its chart (`lr=0.01` at update 300), as `update label` lines.
    public var changes: [String]
    /// The whole record as JSON, when the run has ended (what `compare @N` draws).
    public var record: String?
    /// The final model as `save` writes it (safetensors with the set-up in its metadata).
    public var weights: [UInt8]?

    public init(status: String, name: String?, epochs: Int, updates: Int, seconds: Double, learningRate: Float,
                trainLoss: Float?, validationLoss: Float?, validationMetric: Float?, changes: [String],
                record: String? = nil, weights: [UInt8]? = nil) {
        self.status = status
        self.name = name
        self.epochs = epochs
        self.updates = updates
        self.seconds = seconds
        self.learningRate = learningRate
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.validationMetric = validationMetric
        self.changes = changes
        self.record = record
        self.weights = weights
    }
}

/// One poll's worth of writes, applied in one transaction: runs first kept, new epochs, progress.
public struct StoreBatch: Sendable {
    public var newRuns: [NewRun] = []
    /// Epochs by session run, each with its index in the run's history (0-based).
    public var epochs: [(sessionRun: Int, index: Int, epoch: StoredEpoch)] = []
    public var progress: [(sessionRun: Int, progress: RunProgress)] = []

    public init() {}

    public var isEmpty: Bool { newRuns.isEmpty && epochs.isEmpty && progress.isEmpty }
}

/// A kept run as `runs` lists it (no histories, no weights).
public struct RunSummary: Sendable, Equatable {
    /// Its number in the store: `@12`.
    public var id: Int
    public var session: Int
    public var sessionRun: Int
    public var role: String
    /// The store number of its experiment's first run (folds, a cv summary, racers; the first's own).
    public var experiment: Int?
    public var name: String?
    public var started: Date
    public var status: String
    public var data: String
    public var model: String
    public var optimizer: String
    public var batch: String
    public var seed: UInt64
    public var epochs: Int
    public var updates: Int
    public var seconds: Double
    public var learningRate: Float
    public var metricName: String
    public var parameters: Int?
    public var trainLoss: Float?
    public var validationLoss: Float?
    public var validationMetric: Float?
    public var tags: [String]
    public var hasWeights: Bool
}

/// Everything kept of one run (`runs show`, `reopen`, `compare @N`).
public struct StoredRun: Sendable {
    public var summary: RunSummary
    public var machine: String
    public var build: String
    public var setup: String
    public var commands: [String]
    public var changes: [String]
    public var notes: [(at: Date, text: String)]
    public var epochs: [StoredEpoch]
    /// The record as JSON once the run ended; nil for a run still going or cut short (kill -9).
    public var record: String?
}

/// Which kept runs `runs` lists.
public struct RunFilter: Sendable, Equatable {
    public enum Best: Sendable, Equatable {
        /// Lowest validation loss first.
        case validationLoss
        /// Highest validation metric first (accuracy, R²).
        case validationMetric(String)
        /// Lowest final training loss first.
        case trainLoss
    }

    public var since: Date?
    /// The data's name starts with this (`iris` finds `iris · cv fold 2/5`).
    public var data: String?
    /// The model's description starts with this (`mlp` finds `mlp 8,8 act=tanh`).
    public var model: String?
    public var tag: String?
    public var best: Best?
    public var session: Int?

    public init(since: Date? = nil, data: String? = nil, model: String? = nil, tag: String? = nil, best: Best? = nil,
                session: Int? = nil) {
        self.since = since
        self.data = data
        self.model = model
        self.tag = tag
        self.best = best
        self.session = session
    }
}
