import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import CommandLanguage

extension Session {
    /// `cv k=5 epochs=N`: stratified K-fold cross-validation of the current model definition.
    /// Each fold is a background run of its own (listed by `runs`, stoppable with `stop`); the
    /// session stays busy until the last fold ends, so a notebook waits for all of them.
    func cvCommand(_ c: Command) throws(SessionError) {
        if isBusy { throw SessionError("a run is still going: `stop` it first") }
        guard let data else { throw SessionError("no data yet: try `data iris`") }
        guard let spec = modelSpec else { throw SessionError("no model yet: try `model softmax`") }
        let k = c.optionOrDefault("k")?.integer ?? 5
        let epochs = c.optionOrDefault("epochs")?.integer ?? 100
        var trial = rng
        let folds: [(train: [Int], validation: [Int])]
        do {
            folds = try data.full.stratifiedFolds(k: k, rng: &trial)
        } catch {
            throw SessionError("cv k=\(k): \(data.full.count) samples cannot make \(k) folds; try a smaller k")
        }
        let cv = CrossValidation(k: k, epochs: epochs, data: data, folds: folds, initRNG: trial.split(),
                                 scripted: scripted)
        let first = try prepareFold(cv, 0)
        rng = trial
        crossValidation = cv
        let sizes = Set(folds.map(\.validation.count)).sorted().map(String.init).joined(separator: " or ")
        say("cv k=\(k) on \(cv.name): \(k) \(data.task.classCount == nil ? "" : "stratified ")folds of \(sizes) samples;"
            + " each trains a fresh \(spec.description) (the same initial weights) for \(epochs) epochs"
            + " and validates on its own fold", .info)
        launchFold(cv, first)
    }

    /// Asks a running cross-validation to end after the current fold's run stops.
    func requestCrossValidationStop() {
        if let cv = crossValidation, cv.isRunning { cv.stopRequested = true }
    }

    /// The split and trainer of fold `f`; throws before anything in the session changes.
    private func prepareFold(_ cv: CrossValidation, _ f: Int) throws(SessionError) -> (DataState, Trainer, String) {
        let state = DataState(full: cv.data, trainRows: cv.folds[f].train, validationRows: cv.folds[f].validation,
                              source: "cv fold \(f + 1)", standardize: cv.standardize)
        guard modelSpec != nil else { throw SessionError("cv: the model was removed") }
        var initRNG = cv.initRNG   // every fold starts from the same weights
        let (trainer, lossName) = try makeTrainer(for: state, initRNG: &initRNG)
        return (state, trainer, lossName)
    }

    /// Records fold `results.count` as a run and starts its thread.
    private func launchFold(_ cv: CrossValidation, _ prepared: (DataState, Trainer, String)) {
        let (state, trainer, lossName) = prepared
        let f = cv.results.count
        var record = RunRecord(id: runs.count + 1, data: "\(cv.name) · cv fold \(f + 1)/\(cv.k)",
                               model: modelSpec?.description ?? "?", loss: lossName, optimizer: optimizerDescription,
                               batch: batchSize.map(String.init) ?? "full", plannedEpochs: cv.epochs,
                               metricName: state.task.classCount == nil ? "r2" : "acc")
        record.status = .training
        record.learningRate = trainer.baseLearningRate
        runs.append(record)
        let run = TrainingRun(trainer: trainer, epochs: cv.epochs, validationX: state.validation.features,
                              validationY: state.validation.targets, pace: explicitPace ?? 0, clock: runClock)
        let a = ActiveRun(recordIndex: runs.count - 1, trainer: trainer, run: run)
        a.finalized = true      // evaluated by `finishFold` on the fold's own split
        a.printEvery = .max     // poll prints only the last epoch of each fold
        a.scripted = cv.scripted
        active = a
        cv.current = a
        cv.currentState = state
        say("fold \(f + 1)/\(cv.k) (run \(record.id)): train on \(state.train.count), validate on \(state.validation.count)", .info)
        a.runner = BackgroundRunner(run: run)
    }

    /// Called by `poll()`: ends the current fold once its thread has returned and starts the
    /// next, or sums up. Returns true when something happened.
    func advanceCrossValidation() -> Bool {
        guard let cv = crossValidation, cv.isRunning, let a = cv.current, let runner = a.runner,
              runner.isFinished else { return false }
        if !cv.settling {
            cv.settling = true      // the next poll drains what the thread reported last
            return true
        }
        cv.settling = false
        runner.join()
        let completed = finishFold(cv, a)
        if !completed || cv.stopRequested {
            let done = cv.results.count
            say("cv stopped in fold \(done + (completed ? 0 : 1))/\(cv.k): \(done) fold\(done == 1 ? "" : "s") finished", .warning)
            endCrossValidation(cv)
        } else if cv.results.count < cv.k {
            do {
                launchFold(cv, try prepareFold(cv, cv.results.count))
            } catch {
                say("cv: \(error.description)", .error)
                endCrossValidation(cv)
            }
        } else {
            endCrossValidation(cv)
        }
        return true
    }

    /// Evaluates a fold's model on its split; false when the run did not finish (stopped).
    private func finishFold(_ cv: CrossValidation, _ a: ActiveRun) -> Bool {
        guard let state = cv.currentState else { return false }
        let i = a.recordIndex, t = a.trainer
        let train = t.evaluate(x: state.train.features, y: state.train.targets)
        let validation = t.evaluate(x: state.validation.features, y: state.validation.targets)
        runs[i].trainEvaluation = train
        runs[i].validationEvaluation = validation
        runs[i].updates = t.updates
        runs[i].epochs = t.epochs
        let finished = a.run.state == .finished
        if runs[i].status != .diverged { runs[i].status = finished ? .finished : .stopped }
        guard finished else { return false }
        let classes = state.task.classCount != nil
        func values(_ x: Tensor) -> [Float] { classes ? [] : ((try? t.model.predict(x))?.scalars ?? []) }
        func labels(_ x: Tensor) -> [Int] { classes ? Self.predictedClasses(t, x) : [] }
        cv.results.append(.init(recordIndex: i, train: train, validation: validation,
                                validationRows: state.validationRows,
                                predictedClasses: labels(state.validation.features),
                                predictedValues: values(state.validation.features),
                                trainRows: state.trainRows, trainPredictedClasses: labels(state.train.features),
                                trainPredictedValues: values(state.train.features)))
        return true
    }

    /// Prints the per-fold table with mean ± std; when every fold finished, adds a run record
    /// holding the pooled out-of-fold evaluation (what `show confusion` and `expect` then read).
    private func endCrossValidation(_ cv: CrossValidation) {
        cv.isRunning = false
        cv.current = nil
        guard !cv.results.isEmpty else { return }
        say("cv k=\(cv.k) on \(cv.name): validation metrics of each fold, then mean ± std over the folds")
        for line in table(cv.table()) { say(line) }
        guard cv.results.count == cv.k, let last = active, let (train, validation) = cv.pooled() else { return }
        let records = cv.results.map { runs[$0.recordIndex] }
        var summary = records[records.count - 1]
        summary = RunRecord(id: runs.count + 1, data: "\(cv.name) · cv k=\(cv.k)", model: summary.model,
                            loss: summary.loss, optimizer: summary.optimizer, batch: summary.batch,
                            plannedEpochs: cv.epochs, metricName: summary.metricName)
        summary.status = .finished
        summary.epochs = cv.epochs
        summary.updates = records.reduce(0) { $0 + $1.updates }
        summary.lossHistory = records[records.count - 1].lossHistory
        summary.learningRate = records[records.count - 1].learningRate
        summary.epochHistory = Self.meanHistory(records.map(\.epochHistory))
        summary.trainEvaluation = train
        summary.validationEvaluation = validation
        runs.append(summary)
        // The screen's evaluation pane reads the run's snapshot: give it the pooled evaluation.
        // (The fold's thread has been joined, so this thread may now publish to its slot.)
        if var snapshot = latestSnapshot {
            snapshot.validation = validation
            last.run.snapshots.publish(snapshot)
        }
        let holder = ActiveRun(recordIndex: runs.count - 1, trainer: last.trainer, run: last.run)
        holder.runner = last.runner
        holder.finalized = true
        holder.printedEpochs = last.run.epochLog.count
        active = holder
        cv.summaryIndex = runs.count - 1
        let headline = summary.metricName
        let (mean, std) = CrossValidation.meanAndDeviation(cv.results.compactMap { $0.validation.metrics[headline] })
        say("cv: val \(headline) \(fmt(mean)) ± \(fmt(std)) over \(cv.k) folds · run \(summary.id) pools the out-of-fold"
            + " predictions of all \(cv.data.count) samples (val \(headline) \(fmt(validation.metrics[headline] ?? .nan)));"
            + " `show confusion` and `expect val.\(headline)` read it", .info)
    }

    /// The epoch-by-epoch mean of the folds' histories (as long as the shortest).
    static func meanHistory(_ histories: [[RunRecord.EpochRecord]]) -> [RunRecord.EpochRecord] {
        let n = histories.map(\.count).min() ?? 0
        let m = Float(max(histories.count, 1))
        return (0..<n).map { e in
            let rows = histories.map { $0[e] }
            return RunRecord.EpochRecord(epoch: e + 1, update: rows[0].update,
                                         trainLoss: rows.reduce(0) { $0 + $1.trainLoss } / m,
                                         validationLoss: rows.reduce(0) { $0 + $1.validationLoss } / m,
                                         validationMetric: rows.reduce(0) { $0 + $1.validationMetric } / m)
        }
    }
}
