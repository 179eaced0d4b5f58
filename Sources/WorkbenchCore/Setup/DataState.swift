import TensorCore
import NeuralEngine
import Datasets
import Models

/// The session's current data: the whole set, and the train/validation split the model sees.
///
/// Tables are standardised column by column with statistics from the training split only, so
/// validation stays unseen (unless the learner said `standardize=off`); so is a regression
/// table's target, and predictions and metrics are given back in its own units
/// (`targetScaling`). Images (pixels already in [0, 1]), token ids (categories) and sequences
/// (time steps of one quantity) are left as they are; their `standardizer` is the identity.
public struct DataState: Sendable {
    public var full: Dataset
    public var train: Dataset
    public var validation: Dataset
    public var standardizer: Standardizer
    /// Whether `standardizer` rescales (false: the identity, raw values).
    public var isStandardized: Bool
    /// How a regression table's targets were standardised; nil: in the data's units.
    public var targetScaling: TargetScaling?
    /// What the model is evaluated on for pictures (decision boundary, fitted line), if any.
    public var probeGrid: ProbeGrid?
    /// The rows of `full` in `train` and in `validation`, ascending.
    public var trainRows: [Int]
    public var validationRows: [Int]
    /// What `data` asked for.
    public var spec: DataSpec
    /// The seed whose fresh generator drew this data, or nil when the generator had moved on
    /// (`seed S` then this `data` command makes exactly this data again).
    public var seed: UInt64?
    /// The columns a sample is written in, in the data's own units (`predict`, the server).
    public var schema: InputSchema

    /// A stratified random split of `full`; standardises tables unless `standardize` is false.
    public init(full: Dataset, spec: DataSpec, seed: UInt64?, rng: inout SeededGenerator) throws(DatasetError) {
        let (train, validation) = try full.splitIndices(trainFraction: spec.split ?? DataSpec.defaultSplit, rng: &rng)
        self.init(full: full, trainRows: train, validationRows: validation, spec: spec, seed: seed)
    }

    /// The split given by row lists.
    public init(full: Dataset, trainRows: [Int], validationRows: [Int], spec: DataSpec, seed: UInt64?) {
        var train = full.subset(trainRows), validation = full.subset(validationRows)
        let scales = spec.standardize && full.kind.standardizes
        let standardizer = scales ? Standardizer(fitting: train.features)
            : Standardizer(means: Array(repeating: 0, count: full.featureCount),
                           deviations: Array(repeating: 1, count: full.featureCount))
        if scales {
            train = train.standardized(by: standardizer)
            validation = validation.standardized(by: standardizer)
        }
        if scales, full.task.classCount == nil {
            let target = Standardizer(fitting: train.targets)
            train = train.standardizedTargets(by: target)
            validation = validation.standardizedTargets(by: target)
            targetScaling = TargetScaling(mean: target.means[0], deviation: target.deviations[0])
        }
        self.full = full
        self.train = train
        self.validation = validation
        self.standardizer = standardizer
        self.isStandardized = scales
        self.trainRows = trainRows
        self.validationRows = validationRows
        self.spec = spec
        self.seed = seed
        self.schema = InputSchema(of: full)
        self.probeGrid = ProbeGrid(data: self)
    }

    /// A cross-validation fold: the same data and preprocessing rules, another split.
    public func fold(trainRows: [Int], validationRows: [Int]) -> DataState {
        var fold = DataState(full: full, trainRows: trainRows, validationRows: validationRows, spec: spec, seed: seed)
        fold.schema = schema
        return fold
    }

    /// The validation samples' targets in the data's own units.
    public var validationTargets: [Float] { validationRows.map { full.targets.scalars[$0] } }

    public var task: LearningTask { full.task }
}
