/// What a dataset asks a model to predict.
///
/// Named `LearningTask`, not `Task`, so it never shadows Swift concurrency's `Task`.
public enum LearningTask: Equatable, Sendable {
    /// Predict one of `classes` labels, stored in the targets as `0, 1, …, classes − 1`.
    case classification(classes: Int)
    /// Predict one real number per sample.
    case regression
    /// Predict the next of `vocabulary` symbols at every position of a sequence; targets are
    /// `[n, T]`. With `answers`, only a problem's answer is scored (−1 elsewhere) and a whole
    /// answer right is what counts; without, every position is (text).
    case sequence(vocabulary: Int, answers: Bool)

    /// The number of classes, or `nil` for regression and sequences.
    public var classCount: Int? {
        switch self {
        case .classification(let classes): return classes
        case .regression, .sequence: return nil
        }
    }

    /// True when targets are real numbers (standardised, scored by R²).
    public var isRegression: Bool { self == .regression }
}
