import TensorCore
import NeuralEngine
import Datasets


/// Everything `save` writes besides the weights, as one value: the architecture, how to make the
/// data again and how it was preprocessed, the set-up, the training state (optimizer slots,
/// shuffle generator …) and what the run measured. It is the JSON in the safetensors file's
/// `__metadata__` (key `descent`) and, pretty-printed, the readable `NAME.json` beside it.
///
/// The weights themselves are the file's tensors, named as `watch` names them (`dense1.w` …),
/// Float32, in the engine's layout: a Dense kernel is (in, out), a Conv2D kernel
/// (kh·kw·C, F) with rows in (ky, kx, c) order (`export` scripts convert for each framework).
public struct SavedModel: Codable, Equatable, Sendable {
    /// The file format's name and version: a reader refuses others by name.
    public static let currentFormat = "descent-model 1"
    /// The metadata key the JSON is stored under.
    public static let metadataKey = "descent"

    public var format = Self.currentFormat
    public var architecture: ModelArchitecture
    /// The activation `predict` applies after the last layer (folded into the loss in training).
    public var foldedHead: Activation?
    public var loss: LossKind
    public var parameterCount: Int
    /// What the next run would be made of when it was saved (data, model, optimizer, batch …).
    public var setup: Setup
    public var preprocessing: Preprocessing
    /// How to make the same split again: the data's seed, or the row lists when it had none.
    public var split: Split
    public var training: TrainerState
    /// The session's generator after the run was made, so a run made after `load` draws what
    /// it would have drawn in the saving session.
    public var sessionGenerator: SeededGenerator
    public var metrics: Metrics

    /// What turns a row in the data's units into the model's input, and its output back.
    public struct Preprocessing: Codable, Equatable, Sendable {
        public var schema: InputSchema
        /// The model's input shape, one sample.
        public var inputShape: [Int]
        /// Per-feature μ and σ from the training split: x′ = (x − μ)/σ. All 0 and 1 when the
        /// data is not standardised.
        public var means: [Float]
        public var deviations: [Float]
        public var targetScaling: TargetScaling?
        /// One per class; empty for regression.
        public var classNames: [String]
        public var featureNames: [String]

        public var standardizer: Standardizer { Standardizer(means: means, deviations: deviations) }

        public init(schema: InputSchema, inputShape: [Int], means: [Float], deviations: [Float],
                    targetScaling: TargetScaling?, classNames: [String], featureNames: [String]) {
            self.schema = schema
            self.inputShape = inputShape
            self.means = means
            self.deviations = deviations
            self.targetScaling = targetScaling
            self.classNames = classNames
            self.featureNames = featureNames
        }
    }

    public struct Split: Codable, Equatable, Sendable {
        public var seed: UInt64?
        public var trainRows: [Int]?
        public var validationRows: [Int]?
        public var trainCount: Int
        public var validationCount: Int

        public init(seed: UInt64?, trainRows: [Int]?, validationRows: [Int]?, trainCount: Int, validationCount: Int) {
            self.seed = seed
            self.trainRows = trainRows
            self.validationRows = validationRows
            self.trainCount = trainCount
            self.validationCount = validationCount
        }
    }

    public struct Metrics: Codable, Equatable, Sendable {
        public var epochs: Int
        public var updates: Int
        /// `acc` for classifiers, `r2` for regression.
        public var metricName: String
        public var history: [EpochRecord]
        public var trainLoss: Float? { history.last?.trainLoss }
        public var validationLoss: Float? { history.last?.validationLoss }
        public var validationMetric: Float? { history.last?.validationMetric }

        public init(epochs: Int, updates: Int, metricName: String, history: [EpochRecord]) {
            self.epochs = epochs
            self.updates = updates
            self.metricName = metricName
            self.history = history
        }
    }

    public init(architecture: ModelArchitecture, foldedHead: Activation?, loss: LossKind, parameterCount: Int, setup: Setup,
                preprocessing: Preprocessing, split: Split, training: TrainerState, sessionGenerator: SeededGenerator,
                metrics: Metrics) {
        self.architecture = architecture
        self.foldedHead = foldedHead
        self.loss = loss
        self.parameterCount = parameterCount
        self.setup = setup
        self.preprocessing = preprocessing
        self.split = split
        self.training = training
        self.sessionGenerator = sessionGenerator
        self.metrics = metrics
    }

    /// The classes, or nil for a regression model.
    public var classNames: [String]? { preprocessing.classNames.isEmpty ? nil : preprocessing.classNames }
}
