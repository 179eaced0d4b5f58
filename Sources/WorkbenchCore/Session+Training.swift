import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import CommandLanguage

/// The session's handle on the run it is driving.
final class ActiveRun {
    let recordIndex: Int
    let trainer: Trainer
    var run: TrainingRun
    /// nil while the run is stepped by hand (`step` before `train`).
    var runner: BackgroundRunner?
    var printedEpochs = 0
    var printEvery = 1
    var finalized = false
    /// Started by a notebook or piped input: a divergence then ends the run instead of
    /// waiting for a learner who is not there.
    var scripted = false

    init(recordIndex: Int, trainer: Trainer, run: TrainingRun) {
        self.recordIndex = recordIndex
        self.trainer = trainer
        self.run = run
    }
}

extension Session {
    // MARK: - Building a run

    /// The layers, loss and optimizer the current settings describe, for the current data.
    func makeTrainer() throws(SessionError) -> (Trainer, lossName: String) {
        guard let data else { throw SessionError("no data yet: try `data spiral`") }
        var initRNG = rng.split()
        return try makeTrainer(for: data, initRNG: &initRNG)
    }

    /// A trainer for `data` (the session's, or one fold of it) with the current model, loss,
    /// optimizer and settings, its weights drawn from `initRNG`.
    func makeTrainer(for data: DataState, initRNG: inout SeededGenerator) throws(SessionError) -> (Trainer, lossName: String) {
        guard let spec = modelSpec else { throw SessionError("no model yet: try `model mlp 8,8 act=tanh`") }
        let (specs, defaultLoss) = try spec.layers(for: data.full, dropout: dropout)
        let lossName = lossOverride ?? defaultLoss
        do {
            let model = try Sequential(ModelSpec.build(specs))
            let optimizer = try Self.makeOptimizer(optimizerName, optimizerOptions)
            try model.build(inputShape: Array(data.train.features.shape.dropFirst()), rng: &initRNG)
            let trainer = try Trainer(model: model, loss: Losses.named(lossName), optimizer: optimizer,
                                      x: data.train.features, y: data.train.targets,
                                      classes: data.task.classCount, batchSize: batchSize, rng: initRNG)
            trainer.regularizer = regularizer
            trainer.schedule = schedule
            return (trainer, lossName)
        } catch {
            throw SessionError(error.description)
        }
    }

    /// The model the next run would start from, built without drawing from the session's
    /// generator: looking at a model must not change the run that follows.
    func previewModel() throws(SessionError) -> Sequential {
        let saved = rng
        defer { rng = saved }
        return try makeTrainer().0.model
    }

    /// The summary of `previewModel()`.
    func previewSummary(for data: DataState) throws(SessionError) -> ModelSummary {
        ModelSummary(try previewModel())
    }

    /// Creates a run record and its trainer; the caller decides how it is driven.
    func newActiveRun(epochs: Int, paused: Bool) throws(SessionError) -> ActiveRun {
        let (trainer, lossName) = try makeTrainer()
        let data = data!
        let record = RunRecord(id: runs.count + 1, data: data.source.replacingOccurrences(of: "data ", with: ""),
                               model: modelSpec!.description, loss: lossName,
                               optimizer: optimizerDescription,
                               batch: batchSize.map(String.init) ?? "full", plannedEpochs: epochs,
                               metricName: data.task.classCount == nil ? "r2" : "acc")
        runs.append(record)
        let run = makeRun(trainer, epochs: epochs, paused: paused)
        let a = ActiveRun(recordIndex: runs.count - 1, trainer: trainer, run: run)
        active = a
        try applyWatch(to: a)
        return a
    }

    func makeRun(_ trainer: Trainer, epochs: Int, paused: Bool) -> TrainingRun {
        TrainingRun(trainer: trainer, epochs: epochs, validationX: data!.validation.features,
                    validationY: data!.validation.targets, paused: paused, pace: effectivePace,
                    probe: probeGrid?.points, clock: runClock)
    }

    /// The pace for a new run: the learner's `set pace`, else the front end's watchable pace
    /// for small data sets (a screen sets one; headless runs go at full speed).
    var effectivePace: Double {
        if let explicit = explicitPace { return explicit }
        guard let watchable = watchablePace, let data, data.train.count <= 5000 else { return 0 }
        return watchable
    }

    /// Tells the run which scalar `step` explains (the first weight unless `watch` chose one).
    func applyWatch(to a: ActiveRun) throws(SessionError) {
        if watchTarget == nil { watchTarget = WatchTarget.firstWeight(of: a.trainer.model) }
        guard let target = watchTarget else { return }
        let (p, e) = try target.resolve(in: a.trainer.model)
        _ = a.run.controls.push(.watch(parameter: p, element: e))
    }

    // MARK: - train

    func trainCommand(_ c: Command) throws(SessionError) {
        if isBusy {
            throw SessionError("run \(runs[active!.recordIndex].id) is still going: `stop` it first (or `pause` and `step`)")
        }
        let epochs = c.optionOrDefault("epochs")?.integer ?? 100
        guard epochs >= 1 else { throw SessionError("train: epochs must be ≥ 1") }
        let a: ActiveRun
        if let current = active, current.runner == nil, !current.finalized {
            // Continue a run that `step` started by hand.
            a = current
            a.run = makeRun(a.trainer, epochs: epochs, paused: false)
            try applyWatch(to: a)
            runs[a.recordIndex].plannedEpochs = a.trainer.epochs + epochs
            a.printedEpochs = 0
        } else {
            a = try newActiveRun(epochs: epochs, paused: false)
        }
        a.scripted = scripted
        a.printEvery = max(1, epochs / 10)
        runs[a.recordIndex].status = .training
        runs[a.recordIndex].learningRate = a.trainer.baseLearningRate
        let r = runs[a.recordIndex]
        say("run \(r.id): \(r.model) · loss \(r.loss) · \(r.optimizer) · batch \(r.batch) · \(epochs) epochs"
            + (a.trainer.updatesPerEpoch == 1 ? " (1 update each: the batch is the whole training set)"
               : " (\(grouped(a.trainer.updatesPerEpoch)) updates each)")
            + (effectivePace > 0 ? " · \(fmt(effectivePace)) updates/s (`set pace max` for full speed)" : ""), .info)
        a.runner = BackgroundRunner(run: a.run)
    }

    // MARK: - pause, resume, stop

    func control(_ message: ControlMessage, verb: String) throws(SessionError) {
        guard isBusy, let a = active else {
            throw SessionError("nothing is training: `train` starts a run")
        }
        _ = a.run.controls.push(message)
    }

    // MARK: - step

    func stepCommand(_ c: Command) throws(SessionError) {
        let n = c.positional(0)?.integer ?? 1
        guard n >= 1, n <= 1_000_000 else { throw SessionError("step: N must be between 1 and 1,000,000") }
        if isBusy, let a = active {
            _ = a.run.controls.push(.step(n))
            return
        }
        let a: ActiveRun
        if let current = active, current.runner == nil, !current.finalized {
            a = current
        } else if let current = active {
            // The last run ended: keep stepping its model by hand.
            current.run = makeRun(current.trainer, epochs: 0, paused: true)
            current.runner = nil
            current.finalized = false
            current.printedEpochs = 0
            try applyWatch(to: current)
            a = current
        } else {
            a = try newActiveRun(epochs: 0, paused: true)
            let r = runs[a.recordIndex]
            say("run \(r.id) created for stepping: \(r.model) · loss \(r.loss) · \(r.optimizer) · batch \(r.batch)", .info)
        }
        runs[a.recordIndex].status = .paused
        _ = a.run.controls.push(.step(n))
        ManualRunner(run: a.run).runUntilIdle()
        poll()
    }

    // MARK: - set, watch

    func setCommand(_ c: Command) throws(SessionError) {
        guard let key = c.keyword else { throw SessionError("set: expected lr, momentum, batch or pace") }
        let value = c.positional(1)
        let live = isBusy ? active : nil
        // Not training: the current model (stepped or finished) takes the change for its next update.
        let manual = isBusy ? nil : active
        switch key {
        case "lr":
            guard let lr = value?.number, lr > 0, lr.isFinite else { throw SessionError("set lr: expected a number > 0") }
            let old = optimizerOptions["lr"] ?? (try? Self.makeOptimizer(optimizerName, [:]).learningRate) ?? .nan
            optimizerOptions["lr"] = Float(lr)
            if let a = live {
                _ = a.run.controls.push(.setLearningRate(Float(lr)))
            } else {
                manual?.trainer.baseLearningRate = Float(lr)
                say("lr \(fmt(old)) → \(fmt(lr))" + (manual == nil ? " (for the next run)" : " (from the next update)"), .change)
            }
        case "momentum":
            guard let m = value?.number, m >= 0, m < 1 else { throw SessionError("set momentum: expected a number in [0, 1)") }
            guard ["momentum", "nesterov", "rmsprop", "adam", "adamw"].contains(optimizerName) else {
                throw SessionError("set momentum: \(optimizerName) has no momentum; try `optimizer momentum`")
            }
            let key = optimizerName.hasPrefix("adam") ? "beta1" : "momentum"
            optimizerOptions[key] = Float(m)
            if let a = live {
                _ = a.run.controls.push(.setMomentum(Float(m)))
            } else {
                manual?.trainer.optimizer.momentum = Float(m)
                say("momentum → \(fmt(m))" + (manual == nil ? " (for the next run)" : " (from the next update)"), .change)
            }
        case "batch":
            let size: Int?
            if value?.text == "full" { size = nil } else if let n = value?.integer, n >= 1 { size = n } else {
                throw SessionError("set batch: expected a whole number ≥ 1 or `full`")
            }
            batchSize = size
            if let a = live {
                _ = a.run.controls.push(.setBatchSize(size ?? a.trainer.sampleCount))
            } else {
                manual?.trainer.batchSize = size
                say("batch → \(size.map(String.init) ?? "full")", .change)
            }
        case "pace":
            let p: Double
            if value?.text == "max" { p = 0 } else if let n = value?.number, n > 0 { p = n } else {
                throw SessionError("set pace: expected updates per second (> 0) or `max`")
            }
            explicitPace = p
            if let a = live {
                _ = a.run.controls.push(.setPace(p))
            } else {
                say("pace → " + (p == 0 ? "max" : "\(fmt(p)) updates/s"), .change)
            }
        default:
            throw SessionError("set: unknown setting '\(key)'; expected lr, momentum, batch or pace")
        }
    }

    func watchCommand(_ c: Command) throws(SessionError) {
        guard let text = c.positional(0)?.text, let target = WatchTarget(text) else {
            throw SessionError("watch: expected a parameter like dense1.w[3,0] or dense2.b[0]")
        }
        if let a = active {
            let (p, e) = try target.resolve(in: a.trainer.model)
            _ = a.run.controls.push(.watch(parameter: p, element: e))
            if !isBusy { ManualRunner(run: a.run).runUntilIdle(limit: 1) }
        } else if data != nil, modelSpec != nil {
            _ = try target.resolve(in: try previewModel())
        }
        watchTarget = target
        say("watching \(target): `step` explains how it moves", .info)
    }
}
