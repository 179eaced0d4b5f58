import TensorCore
import Datasets

/// The session's current data: the whole set, and the standardised train/validation split the
/// model sees (statistics from the training split only, so validation stays unseen).
public struct DataState: Sendable {
    public var full: Dataset
    public var train: Dataset
    public var validation: Dataset
    public var standardizer: Standardizer
    /// The command that made it, canonical (for run records and notebooks).
    public var source: String

    public init(full: Dataset, trainFraction: Double, rng: inout SeededGenerator, source: String) throws(DatasetError) {
        let (train, validation) = try full.split(trainFraction: trainFraction, rng: &rng)
        let standardizer = Standardizer(fitting: train.features)
        self.full = full
        self.train = train.standardized(by: standardizer)
        self.validation = validation.standardized(by: standardizer)
        self.standardizer = standardizer
        self.source = source
    }

    public var task: LearningTask { full.task }
}
