/// What a dataset asks a model to predict.
///
/// Named `LearningTask`, not `Task`, so it never shadows Swift concurrency's `Task`.
public enum LearningTask: Equatable, Sendable {
    /// Predict one of `classes` labels, stored in the targets as `0, 1, …, classes − 1`.
    case classification(classes: Int)
    /// Predict one real number per sample.
    case regression

    /// The number of classes, or `nil` for regression.
    public var classCount: Int? {
        switch self {
        case .classification(let classes): return classes
        case .regression: return nil
        }
    }
}
