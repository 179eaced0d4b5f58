import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import Models

/// A K-fold cross-validation (`cv k=5`): the folds, and each finished fold's results. An
/// experiment the run coordinator drives like any other: when a fold's run ends it is evaluated
/// on its own validation part (by the coordinator, as every run is) and the next fold starts,
/// each a fresh model with the same initial weights (drawn once from the session's seed), so the
/// folds differ only in their data. After the last, a record pools the out-of-fold results.
final class CrossValidation: Experiment {
    /// What one finished fold left behind.
    struct FoldResult {
        let runID: Int
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
    let data: DataState
    let folds: [(train: [Int], validation: [Int])]
    /// Every fold's initial weights come from this same generator.
    let initRNG: SeededGenerator
    let factory: RunFactory
    let scripted: Bool
    private(set) var results: [FoldResult] = []
    private(set) var isRunning = true
    private var stopRequested = false
    /// The record pooling the out-of-fold results, once every fold is done.
    private(set) var summaryID: Int?

    init(k: Int, epochs: Int, data: DataState, folds: [(train: [Int], validation: [Int])],
         initRNG: SeededGenerator, factory: RunFactory, scripted: Bool) {
        self.k = k
        self.epochs = epochs
        self.data = data
        self.folds = folds
        self.initRNG = initRNG
        self.factory = factory
        self.scripted = scripted
    }

    /// The data's name as runs list it (`iris`).
    var name: String { data.spec.name }

    func requestStop() { stopRequested = true }

    /// The split and trainer of fold `f` (0-based), without starting it: throws before anything
    /// changes.
    func prepare(fold f: Int) throws(DescentError) -> (DataState, (trainer: Trainer, loss: LossKind, architecture: ModelArchitecture)) {
        let state = data.fold(trainRows: folds[f].train, validationRows: folds[f].validation)
        var rng = initRNG   // every fold starts from the same weights
        return (state, try factory.trainer(for: state, rng: &rng))
    }

    /// Records fold `f` as a run and starts its thread.
    func launch(_ prepared: (DataState, (trainer: Trainer, loss: LossKind, architecture: ModelArchitecture)), fold f: Int,
                in coordinator: RunCoordinator) -> [Notice] {
        let (state, made) = prepared
        let id = coordinator.nextID
        var record = factory.record(id: id, data: state, trainer: made, role: .fold(index: f + 1, of: k), epochs: epochs)
        record.reportEvery = .max   // only each fold's last epoch is printed
        // Folds are not watched on a screen: they train at the learner's explicit pace or flat out.
        var quick = factory
        quick.pace = factory.setup.pace?.rate ?? 0
        let run = quick.run(id: id, made, data: state, epochs: epochs, paused: false, probe: false, experiment: self)
        run.scripted = scripted
        coordinator.add(record, run, experiment: self)
        coordinator.start(run)
        return [.foldStarted(run: id, fold: f + 1, k: k, train: state.train.count, validation: state.validation.count)]
    }

    func runEnded(_ run: Run, coordinator: RunCoordinator) -> [Notice] {
        let record = coordinator.records[run.id - 1]
        let completed = record.status == .finished
        if completed, let train = record.trainEvaluation, let validation = record.validationEvaluation {
            let classes = data.task.classCount != nil
            let t = run.trainer, state = run.data
            func values(_ x: Tensor) -> [Float] { classes ? [] : ((try? t.predict(x))?.scalars ?? []) }
            func labels(_ x: Tensor) -> [Int] { classes ? t.predictedClasses(x) : [] }
            results.append(FoldResult(runID: run.id, train: train, validation: validation,
                                      validationRows: state.validationRows,
                                      predictedClasses: labels(state.validation.features),
                                      predictedValues: values(state.validation.features),
                                      trainRows: state.trainRows, trainPredictedClasses: labels(state.train.features),
                                      trainPredictedValues: values(state.train.features)))
        }
        if !completed || stopRequested {
            let done = results.count
            return [.crossValidationStopped(inFold: done + (completed ? 0 : 1), k: k, finished: done)]
                + end(coordinator, lastFold: run)
        }
        if results.count < k {
            do {
                return launch(try prepare(fold: results.count), fold: results.count, in: coordinator)
            } catch {
                return [.failed("cv: \(error.description)")] + end(coordinator, lastFold: run)
            }
        }
        return end(coordinator, lastFold: run)
    }

    /// Prints the per-fold table with mean ± std; when every fold finished, adds a record
    /// holding the pooled out-of-fold evaluation (what `show confusion` and `expect` then read).
    private func end(_ coordinator: RunCoordinator, lastFold: Run) -> [Notice] {
        isRunning = false
        guard !results.isEmpty else { return [] }
        var notices: [Notice] = [.crossValidationTable(name: name, k: k, rows: table())]
        guard results.count == k, let (train, validation) = pooled() else { return notices }
        let folds = results.map { coordinator.records[$0.runID - 1] }
        let last = folds[folds.count - 1]
        var summary = RunRecord(id: coordinator.nextID, setup: last.setup, architecture: last.architecture, loss: last.loss,
                                role: .crossValidation(k: k), plannedEpochs: epochs, metricName: last.metricName)
        summary.status = .finished
        summary.epochs = epochs
        summary.updates = folds.reduce(0) { $0 + $1.updates }
        summary.lossHistory = last.lossHistory
        summary.learningRate = last.learningRate
        summary.epochHistory = Self.meanHistory(folds.map(\.epochHistory))
        summary.trainEvaluation = train
        summary.validationEvaluation = validation
        // The panes draw the last fold's model with the pooled evaluation.
        var snapshot = coordinator.snapshot(of: lastFold.id)
        snapshot?.validation = validation
        summaryID = summary.id
        coordinator.add(summary, nil)
        coordinator.setSnapshot(snapshot, of: summary.id)
        let headline = summary.metricName
        let (mean, deviation) = Self.meanAndDeviation(results.compactMap { $0.validation.metrics[headline] })
        notices.append(.crossValidationSummary(run: summary.id, k: k, metric: headline, mean: mean, deviation: deviation,
                                               samples: data.full.count, pooled: validation.metrics[headline] ?? .nan))
        return notices
    }

    /// Each sample's predicted class by the model that did not train on it; nil unless every
    /// fold finished on classification data.
    func outOfFoldClasses() -> [Int]? {
        guard results.count == k, data.task.classCount != nil else { return nil }
        var predicted = [Int](repeating: 0, count: data.full.count)
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
        let truth = data.full.targets.scalars
        if let classes = data.task.classCount {
            let labels = data.full.labels
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
    var metricNames: [String] { data.task.metricNames }

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

    /// The epoch-by-epoch mean of the folds' histories (as long as the shortest).
    static func meanHistory(_ histories: [[EpochRecord]]) -> [EpochRecord] {
        let n = histories.map(\.count).min() ?? 0
        let m = Float(max(histories.count, 1))
        return (0..<n).map { e in
            let rows = histories.map { $0[e] }
            return EpochRecord(epoch: e + 1, update: rows[0].update,
                                         trainLoss: rows.reduce(0) { $0 + $1.trainLoss } / m,
                                         validationLoss: rows.reduce(0) { $0 + $1.validationLoss } / m,
                                         validationMetric: rows.reduce(0) { $0 + $1.validationMetric } / m)
        }
    }
}
