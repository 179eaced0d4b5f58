import Datasets

extension LearningTask {
    /// The metrics a task reports, in order (names as `Evaluation.metrics` gives them): loss,
    /// then the task's own, the headline last for regression and first for the others.
    public var metricNames: [String] {
        switch self {
        case .classification: ["loss", "acc", "precision", "recall", "f1"]
        case .regression: ["loss", "mse", "mae", "r2"]
        case .sequence(_, let answers): answers ? ["loss", "exact", "acc"] : ["loss", "acc"]
        }
    }

    /// Every task's metrics, each once: loss, exact, acc, precision, recall, f1, mse, mae, r2.
    public static let allMetricNames: [String] = {
        var names: [String] = []
        for task in [LearningTask.sequence(vocabulary: 2, answers: true), .classification(classes: 2), .regression] {
            for name in task.metricNames where !names.contains(name) { names.append(name) }
        }
        return names
    }()

    /// The metric a learner watches, as `Evaluation.headline` names it: accuracy for classes,
    /// R² for regression, the exact-match rate for answers, next-symbol accuracy for text.
    public var headlineMetric: String {
        switch self {
        case .classification: "acc"
        case .regression: "r2"
        case .sequence(_, let answers): answers ? "exact" : "acc"
        }
    }
}
