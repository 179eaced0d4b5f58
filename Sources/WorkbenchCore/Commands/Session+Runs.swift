import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import CommandLanguage
import Models

extension Session {
    // MARK: - Making runs

    /// Makes runs from the current set-up, at the pace a new run gets.
    var factory: RunFactory {
        RunFactory(setup: setup, pace: effectivePace, clock: frontEnd.runClock, budget: runs.budget)
    }

    /// The pace for a new run: the set-up's (`set pace` before a run), else the front end's
    /// watchable pace for small data sets (a screen sets one; headless runs go at full speed).
    var effectivePace: Double {
        if let pace = setup.pace { return pace.rate }
        guard let watchable = frontEnd.watchablePace, let data, data.train.count <= 5000 else { return 0 }
        return watchable
    }

    /// The model the next run would start from, built without drawing from the session's
    /// generator: looking at a model must not change the run that follows.
    func previewModel() throws(DescentError) -> Sequential {
        guard let data else { throw DescentError("no data yet: try `data spiral`") }
        var generator = random.generator   // a copy: the session's does not move
        var rng = generator.split()
        return try factory.trainer(for: data, rng: &rng).trainer.model
    }

    /// The summary of `previewModel()`.
    func previewSummary() throws(DescentError) -> ModelSummary {
        ModelSummary(try previewModel())
    }

    /// A new single run from the set-up, made current; the caller decides how it is driven.
    func newRun(epochs: Int, paused: Bool, patience: Int? = nil) throws(DescentError) -> Run {
        guard let data else { throw DescentError("no data yet: try `data spiral`") }
        rewound = nil
        var trial = random
        var rng = trial.generator.split()
        let factory = factory
        let made = try factory.trainer(for: data, rng: &rng)
        trial.position = .moved
        random = trial
        let id = runs.nextID
        let experiment = SingleRun()
        let run = factory.run(id: id, made, data: data, epochs: epochs, paused: paused, patience: patience, experiment: experiment)
        runs.add(factory.record(id: id, data: data, trainer: made, role: .single, epochs: epochs), run, experiment: experiment)
        try applyWatch(to: run)
        applyProbeUnit(to: run)
        if attentionView.sample != 0 { applyProbeAttention(to: run) }
        return run
    }

    /// Tells the run which scalar `step` explains (the first weight unless `watch` chose one).
    func applyWatch(to run: Run) throws(DescentError) {
        if watchTarget == nil { watchTarget = WatchTarget.firstWeight(of: run.trainer.model) }
        guard let target = watchTarget else { return }
        let (p, e) = try target.resolve(in: run.trainer.model)
        run.watch = target
        _ = run.training.controls.push(.watch(parameter: p, element: e))
    }

    /// Gives run `run` a new engine run on the same trainer (to go on after `step`, or to step
    /// an ended one by hand).
    func renew(_ run: Run, epochs: Int, paused: Bool, patience: Int? = nil) throws(DescentError) {
        rewound = nil
        let previous = run.training
        run.training = factory.training(run.trainer, data: run.data, epochs: epochs, paused: paused, patience: patience,
                                        checkpoints: run.checkpoints)
        run.training.carryOver(from: previous)
        applyProbeUnit(to: run)
        if attentionView.sample != 0 { applyProbeAttention(to: run) }
        run.takenReports = 0
        run.finalized = false
        run.handle = nil
        try applyWatch(to: run)
    }

    // MARK: - train

    func trainCommand(_ c: Command) throws(DescentError) {
        if isBusy, let r = currentRun {
            throw DescentError("run \(r.id) is still going: `stop` it first (or `pause` and `step`)")
        }
        let epochs = c.optionOrDefault("epochs")?.integer ?? 100
        guard epochs >= 1 else { throw DescentError("train: epochs must be ≥ 1") }
        let patience = c.integer("patience")
        let run: Run
        var plan = "\(epochs) epochs"
        if let current = runs.current, current.handle == nil, !current.finalized {
            // Go on with a run that `step` started by hand: it ends after `epochs` epochs in all
            // (the stepped ones count), or `epochs` more if it stepped that far already.
            run = current
            let done = run.trainer.epochs
            let more = done < epochs && !run.isLoaded ? epochs - done : epochs
            try renew(run, epochs: more, paused: false, patience: patience)
            runs.update(run.id) { $0.plannedEpochs = done + more }
            plan = "goes on from update \(grouped(run.trainer.updates)) to epoch \(done + more)"
        } else {
            run = try newRun(epochs: epochs, paused: false, patience: patience)
        }
        run.scripted = scripted
        let total = runs.records[run.id - 1].plannedEpochs
        runs.update(run.id) { $0.reportEvery = max(1, total / 10); $0.learningRate = run.trainer.learningRate }
        let r = runs.records[run.id - 1]
        say("run \(r.id): \(r.modelName) · loss \(r.loss.rawValue) · \(r.optimizerName) · batch \(r.batchName) · \(plan)"
            + (run.trainer.updatesPerEpoch == 1 ? " (1 update each: the batch is the whole training set)"
               : " (\(grouped(run.trainer.updatesPerEpoch)) updates each)")
            + (effectivePace > 0 ? " · \(fmt(effectivePace)) updates/s (`set pace max` for full speed)" : "")
            + (patience.map { " · early stopping after \($0) epochs without a better validation loss" } ?? ""), .info)
        if setup.schedule != .constant { say(Self.schedulePreview(setup.schedule, base: run.trainer.learningRate,
                                                                   updates: run.trainer.updatesPerEpoch * epochs), .info) }
        sayCost(of: run, epochs: total - run.trainer.epochs)
        runs.launch(run)
    }

    // MARK: - pause, resume, stop

    func control(_ message: ControlMessage) throws(DescentError) {
        guard isBusy else { throw DescentError("nothing is training: `train` starts a run") }
        runs.send(message)
    }

    /// `stop` (and Ctrl-C): ends what trains; a run stepped by hand ends too.
    func stopCommand() throws(DescentError) {
        if isBusy {
            runs.stopAll()
        } else if hasSteppedRun, let run = runs.current {
            tell(runs.stopByHand(run))
        } else {
            throw DescentError("nothing is training: `train` starts a run")
        }
    }

    // MARK: - step

    func stepCommand(_ c: Command) throws(DescentError) {
        let n = c.positional(0)?.integer ?? 1
        guard n >= 1, n <= 1_000_000 else { throw DescentError("step: N must be between 1 and 1,000,000") }
        if isBusy {
            runs.send(.step(n))
            return
        }
        let run: Run
        if let current = runs.current, current.handle == nil, !current.finalized {
            run = current
        } else if let current = runs.current {
            // The last run ended: keep stepping its model by hand.
            try renew(current, epochs: 0, paused: true)
            run = current
        } else if let record = currentRun {
            throw DescentError("run \(record.id) has no model of its own to step (it pools the folds of `cv`): "
                               + "`train` or `step` after a set-up command makes a new run")
        } else {
            run = try newRun(epochs: 0, paused: true)
            let r = runs.records[run.id - 1]
            say("run \(r.id) created for stepping: \(r.modelName) · loss \(r.loss.rawValue) · \(r.optimizerName) · batch \(r.batchName)", .info)
        }
        runs.update(run.id) { $0.status = .paused }
        _ = run.training.controls.push(.step(n))
        ManualRunner(run: run.training).runUntilIdle()
        poll()
    }

    // MARK: - set, watch

    /// `set KEY VALUE` changes the current run: the live one between two updates, an idle one
    /// for its next update. Never the set-up of later runs (set-up commands do that), except
    /// when there is no run to change: then it says so and sets up the next one. The command
    /// table checked the value's range.
    func setCommand(_ c: Command) throws(DescentError) {
        guard let setting = c.keyword.flatMap(LiveSetting.init(rawValue:)), var value = c.positional(1) else {
            throw DescentError("set: expected lr, momentum, batch or pace and a value")
        }
        // The suggestion goes to what `lr find` measured: the run stepped by hand, or the next run.
        var forNextRun = false
        if setting == .lr, value.text == "suggested" {
            guard let found = lrFind else { throw DescentError("set lr suggested: no suggestion yet: `lr find` makes one") }
            value = .number(Double(found.result.suggestion))
            forNextRun = found.run == nil || found.run != runs.currentID
        }
        let target = forNextRun ? nil : runs.current
        let message = try Self.controlMessage(setting, value, sampleCount: target?.trainer.sampleCount ?? data?.train.count ?? 1)
        if case .setBatchSize(let b) = message, let run = target {
            do { try ModelLimits.checkActivations(run.trainer.model, batch: b) } catch {
                throw DescentError("set batch: \(error)")
            }
        }
        // μ of momentum and Nesterov, ρ of RMSprop, β₁ of Adam and AdamW; SGD has none.
        let optimizer = target.map { runs.records[$0.id - 1].setup.optimizer } ?? setup.optimizer
        let momentumKey: OptimizerSetting = optimizer.value(.beta1) != nil ? .beta1 : .momentum
        if setting == .momentum, optimizer.value(momentumKey) == nil {
            throw DescentError("set momentum: \(optimizer.kind.rawValue) has no momentum; try `optimizer momentum`")
        }
        if isBusy, target != nil {
            runs.send(message)   // applied between two updates and echoed back as a change
            return
        }
        if let run = target {
            // The run applies it now (keeping sane weights from before it, in case it diverges)
            // and echoes it like a live change; `step` and `train` go on with it.
            _ = run.training.controls.push(message)
            ManualRunner(run: run.training).runUntilIdle(limit: 1)
            poll()
            if setting == .lr || setting == .batch {
                say("(run \(run.id) only: new runs take the set-up's \(setting == .lr ? "`optimizer … lr=`" : "`batch`"))", .info)
            }
            return
        }
        switch message {
        case .setLearningRate(let lr):
            let old = setup.optimizer.learningRate
            setup.optimizer.learningRate = lr
            let why = forNextRun ? "`lr find` measured the next run's weights" : "no run to change"
            say("lr \(fmt(old)) → \(fmt(lr)): \(why), so the next run's optimizer is now \(setup.optimizer.description)", .change)
        case .setMomentum(let m):
            try? setup.optimizer.set(momentumKey, m)
            say("momentum → \(fmt(m)): no run to change, so the next run's optimizer is now \(setup.optimizer.description)", .change)
        case .setBatchSize:
            setup.batch = try Self.batchSize(value, command: "set batch")
            say("batch → \(setup.batch.description): no run to change, so it is the next run's batch", .change)
        case .setPace(let rate):
            setup.pace = Pace(rate: rate)
            say("pace → " + (rate == 0 ? "max" : "\(fmt(rate)) updates/s") + " for the next runs", .change)
        default:
            break
        }
    }

    /// The control message `set SETTING VALUE` sends to a live run.
    static func controlMessage(_ setting: LiveSetting, _ value: Value, sampleCount: Int) throws(DescentError) -> ControlMessage {
        switch setting {
        case .lr: return .setLearningRate(Float(value.number ?? 0))   // `suggested` is resolved before
        case .momentum: return .setMomentum(Float(value.number ?? 0))
        case .batch: return .setBatchSize(try batchSize(value, command: "set batch").size ?? sampleCount)
        case .pace: return .setPace(value.text == "max" ? 0 : value.number ?? 0)
        }
    }

    func watchCommand(_ c: Command) throws(DescentError) {
        guard let text = c.positional(0)?.text, let target = WatchTarget(text) else {
            throw DescentError("watch: expected a parameter like dense1.w[3,0] or dense2.b[0]")
        }
        if let run = runs.current {
            let (p, e) = try target.resolve(in: run.trainer.model)
            _ = run.training.controls.push(.watch(parameter: p, element: e))
            run.watch = target
            if !isBusy { ManualRunner(run: run.training).runUntilIdle(limit: 1) }
        } else if data != nil, setup.model != nil {
            _ = try target.resolve(in: try previewModel())
        }
        watchTarget = target
        say("watching \(target): `step` explains how it moves", .info)
    }

    // MARK: - cv

    /// `cv k=5 epochs=N`: stratified K-fold cross-validation of the current set-up. Each fold is
    /// a run of its own (listed by `runs`, stoppable with `stop`); the session stays busy until
    /// the last fold ends, so a notebook waits for all of them.
    func cvCommand(_ c: Command) throws(DescentError) {
        if isBusy { throw DescentError("a run is still going: `stop` it first") }
        guard let data else { throw DescentError("no data yet: try `data iris`") }
        guard let model = setup.model else { throw DescentError("no model yet: try `model softmax`") }
        let k = c.optionOrDefault("k")?.integer ?? 5
        let epochs = c.optionOrDefault("epochs")?.integer ?? 100
        var trial = random
        let folds: [(train: [Int], validation: [Int])]
        do {
            folds = try data.full.stratifiedFolds(k: k, rng: &trial.generator)
        } catch {
            throw DescentError("cv k=\(k): \(data.full.count) samples cannot make \(k) folds; try a smaller k")
        }
        let cv = CrossValidation(k: k, epochs: epochs, data: data, folds: folds, initRNG: trial.generator.split(),
                                 factory: factory, scripted: scripted)
        let first = try cv.prepare(fold: 0)
        trial.position = .moved
        random = trial
        let sizes = Set(folds.map(\.validation.count)).sorted().map(String.init).joined(separator: " or ")
        tell([.crossValidationStarted(name: cv.name, k: k, foldSizes: sizes, stratified: data.task.classCount != nil,
                                      model: model.description, epochs: epochs)])
        tell(cv.launch(first, fold: 0, in: runs))
    }
}

// MARK: - compare

extension Session {
    /// `compare OPTIMIZER … [epochs=N] [lr=X] [lr.OPTIMIZER=X]`: an optimizer race from the
    /// set-up; `compare RUN …`: overlays kept runs.
    func compareCommand(_ c: Command) throws(DescentError) {
        if isBusy { throw DescentError("a run is still going: `stop` it first") }
        let values = c.arguments.map(\.value)
        if values.allSatisfy({ $0.integer != nil }) {
            let ids = values.compactMap(\.integer)
            for id in ids where id > records.count {
                throw DescentError("compare: there is no run \(id); `runs` lists the \(records.count) there are")
            }
            runs.compare(ids)
            tell([.compared(ids.map { records[$0 - 1] })])
            return
        }
        let kinds = try values.map { value throws(DescentError) -> OptimizerKind in
            guard let kind = value.text.flatMap(OptimizerKind.init(rawValue:)) else {
                throw DescentError("compare: race optimizers (sgd, momentum, adam …) or overlay runs (their numbers), not both")
            }
            return kind
        }
        guard let data else { throw DescentError("no data yet: try `data spiral`") }
        guard let model = setup.model else { throw DescentError("no model yet: try `model mlp 8,8 act=tanh`") }
        let epochs = c.optionOrDefault("epochs")?.integer ?? 100
        let commonRate = c.number("lr").map(Float.init) ?? setup.optimizer.learningRate
        let configs = kinds.map { kind -> OptimizerConfig in
            var config = OptimizerConfig(kind)
            config.learningRate = c.number("lr.\(kind.rawValue)").map(Float.init) ?? commonRate
            return config
        }
        var trial = random
        let initRNG = trial.generator.split()
        var racers = factory
        if kinds.contains(.gd) { racers.setup.batch = .full }
        let race = try Race(configs: configs, epochs: epochs, data: data, factory: racers, initRNG: initRNG,
                            scripted: scripted, coordinator: runs)
        trial.position = .moved
        random = trial
        tell([.raceStarted(runs: race.runIDs, optimizers: configs.map(\.description), epochs: epochs, model: model.description)])
    }
}
