import Foundation
import TensorCore
import NeuralEngine
import Datasets

/// A K-fold cross-validation (`cv k=5`): the folds, the fold being trained, and each finished
/// fold's results. The session drives it from `poll()`: when a fold's run ends it is evaluated
/// on its own validation part and the next fold starts, each a fresh model with the same initial
/// weights (drawn once from the session's seed), so the folds differ only in their data.
final class CrossValidation {
    /// What one finished fold left behind.
    struct FoldResult {
        let recordIndex: Int
        let train: Evaluation
        let validation: Evaluation
        /// The fold's validation rows (of the full data set) and the model's predictions for them.
        let validationRows: [Int]
        let predictedClasses: [Int]
        let predictedValues: [Float]
        /// The same for the fold's training rows (pooled into the summary's train metrics).
        let trainRows: [Int]
        let trainPredictedClasses: [Int]
        let trainPredictedValues: [Float]
    }

    let k: Int
    let epochs: Int
    let data: Dataset
    let standardize: Bool
    /// The data's name as runs list it (`iris`).
    let name: String
    let folds: [(train: [Int], validation: [Int])]
    let initRNG: SeededGenerator
    let scripted: Bool
    var results: [FoldResult] = []
    /// The fold being trained, and its split.
    var current: ActiveRun?
    var currentState: DataState?
    /// Set for one poll after a fold's thread ends, so that poll collects its last reports first.
    var settling = false
    var stopRequested = false
    var isRunning = true
    /// The run record holding the pooled out-of-fold results, once every fold is done.
    var summaryIndex: Int?

    init(k: Int, epochs: Int, data: DataState, folds: [(train: [Int], validation: [Int])],
         initRNG: SeededGenerator, scripted: Bool) {
        self.k = k
        self.epochs = epochs
        self.data = data.full
        self.standardize = data.isStandardized
        self.name = data.source.replacingOccurrences(of: "data ", with: "")
        self.folds = folds
        self.initRNG = initRNG
        self.scripted = scripted
    }

    /// Each sample's predicted class by the model that did not train on it; nil unless every
    /// fold finished on classification data.
    func outOfFoldClasses() -> [Int]? {
        guard results.count == k, data.task.classCount != nil else { return nil }
        var predicted = [Int](repeating: 0, count: data.count)
        for r in results { for (row, c) in zip(r.validationRows, r.predictedClasses) { predicted[row] = c } }
        return predicted
    }

    /// Pooled evaluations of the finished folds: validation over every fold's validation part
    /// (the out-of-fold predictions), train over every fold's training part (each sample k − 1
    /// times). Losses are sample-weighted means of the folds' losses.
    func pooled() -> (train: Evaluation, validation: Evaluation)? {
        guard var validation = results.first?.validation, var train = results.first?.train else { return nil }
        func weightedLoss(_ parts: [(Evaluation, Int)]) -> Float {
            let n = parts.reduce(0) { $0 + $1.1 }
            return Float(parts.reduce(0.0) { $0 + Double($1.0.loss) * Double($1.1) } / Double(max(n, 1)))
        }
        validation.loss = weightedLoss(results.map { ($0.validation, $0.validationRows.count) })
        train.loss = weightedLoss(results.map { ($0.train, $0.trainRows.count) })
        let truth = data.targets.scalars
        if let classes = data.task.classCount {
            let labels = data.labels
            validation.confusion = ConfusionMatrix(truth: results.flatMap { $0.validationRows.map { labels[$0] } },
                                                   predicted: results.flatMap(\.predictedClasses), classes: classes)
            train.confusion = ConfusionMatrix(truth: results.flatMap { $0.trainRows.map { labels[$0] } },
                                              predicted: results.flatMap(\.trainPredictedClasses), classes: classes)
        } else {
            validation.regression = RegressionMetrics(predicted: results.flatMap(\.predictedValues),
                                                      truth: results.flatMap { $0.validationRows.map { truth[$0] } })
            train.regression = RegressionMetrics(predicted: results.flatMap(\.trainPredictedValues),
                                                 truth: results.flatMap { $0.trainRows.map { truth[$0] } })
        }
        return (train, validation)
    }

    /// The metrics to report, in order: loss then the task's own.
    var metricNames: [String] {
        data.task.classCount == nil ? ["loss", "mse", "mae", "r2"] : ["loss", "acc", "precision", "recall", "f1"]
    }

    /// Metric rows (`metric, fold 1 … fold n, mean ± std`) for the finished folds. The deviation
    /// is the population one over folds (as scikit-learn's `scores.std()`).
    func table() -> [[String]] {
        var rows = [["metric"] + results.indices.map { "fold \($0 + 1)" } + ["mean ± std"]]
        for name in metricNames {
            let values = results.compactMap { $0.validation.metrics[name] }
            guard values.count == results.count, !values.isEmpty else { continue }
            let (mean, std) = Self.meanAndDeviation(values)
            rows.append([name] + values.map { fmt($0) } + ["\(fmt(mean)) ± \(fmt(std))"])
        }
        return rows
    }

    /// The mean and the population standard deviation of `values`.
    static func meanAndDeviation(_ values: [Double]) -> (mean: Double, deviation: Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }
}
