import TensorCore
import Datasets

/// The session's current data: the whole set, and the train/validation split the model sees.
///
/// Tables are standardised column by column with statistics from the training split only, so
/// validation stays unseen (unless the learner said `standardize=off`). Images (pixels already in
/// [0, 1]), token ids (categories) and sequences (time steps of one quantity) are left as they
/// are; their `standardizer` is the identity.
public struct DataState: Sendable {
    public var full: Dataset
    public var train: Dataset
    public var validation: Dataset
    public var standardizer: Standardizer
    /// Whether `standardizer` rescales (false: the identity, raw values).
    public var isStandardized: Bool
    /// The rows of `full` in `train` and in `validation`, ascending.
    public var trainRows: [Int]
    public var validationRows: [Int]
    /// The command that made it, canonical (for run records and notebooks).
    public var source: String
    /// Samples a command picked out (`show misclassified`), for the data pane to show.
    public var selection: SampleSelection?

    /// A stratified random split of `full`; standardises tables unless `standardize` is false.
    public init(full: Dataset, trainFraction: Double, rng: inout SeededGenerator, source: String,
                standardize: Bool = true) throws(DatasetError) {
        let (train, validation) = try full.splitIndices(trainFraction: trainFraction, rng: &rng)
        self.init(full: full, trainRows: train, validationRows: validation, source: source,
                  standardize: standardize)
    }

    /// The split given by row lists (a cross-validation fold).
    public init(full: Dataset, trainRows: [Int], validationRows: [Int], source: String,
                standardize: Bool = true) {
        let train = full.subset(trainRows), validation = full.subset(validationRows)
        let scales = standardize && full.kind.standardizes
        let standardizer = scales ? Standardizer(fitting: train.features)
            : Standardizer(means: Array(repeating: 0, count: full.featureCount),
                           deviations: Array(repeating: 1, count: full.featureCount))
        self.full = full
        self.train = scales ? train.standardized(by: standardizer) : train
        self.validation = scales ? validation.standardized(by: standardizer) : validation
        self.standardizer = standardizer
        self.isStandardized = scales
        self.trainRows = trainRows
        self.validationRows = validationRows
        self.source = source
    }

    public var task: LearningTask { full.task }
}

/// Samples picked out of the data set, e.g. the validation samples of one confusion cell.
public struct SampleSelection: Equatable, Sendable, Codable {
    /// What they are, for a pane title: `true 3 → predicted 8`.
    public var title: String
    /// Their rows in the full data set, in the order listed.
    public var rows: [Int]
    /// How many samples the whole selection had (`rows` may be a prefix).
    public var total: Int

    public init(title: String, rows: [Int], total: Int) {
        self.title = title
        self.rows = rows
        self.total = total
    }
}
