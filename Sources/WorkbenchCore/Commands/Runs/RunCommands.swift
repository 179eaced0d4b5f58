import Foundation
import TensorCore
import NeuralEngine
import Training
import CommandLanguage
import Models

/// The commands that drive runs: `train`, `step`, `pause`, `resume`, `stop`, `set`, `undo`,
/// `watch` (and, in their own files, `cv`, `compare`, `lr find`). They make runs from the
/// set-up and ask the run coordinator for every transition and change: none of them touches a
/// run's queues or phase.
struct RunCommands {
    let bench: Workbench
    var runs: RunCoordinator { bench.runs }

    // MARK: - Making runs

    /// A new single run from the set-up, made current; the caller decides how it goes on.
    func newRun(epochs: Int, paused: Bool, patience: Int? = nil) throws(DescentError) -> Run {
        guard let data = bench.data else { throw DescentError("no data yet: try `data spiral`") }
        bench.views.rewound = nil
        var trial = bench.random
        var rng = trial.generator.split()
        let factory = bench.factory
        let made = try factory.trainer(for: data, rng: &rng)
        trial.position = .moved
        bench.random = trial
        let id = runs.nextID
        let experiment = SingleRun()
        let run = factory.run(id: id, made, data: data, epochs: epochs, paused: paused, patience: patience, experiment: experiment)
        runs.add(factory.record(id: id, data: data, trainer: made, role: .single, epochs: epochs), run, experiment: experiment)
        try prepare(run)
        return run
    }

    /// Gives `run` a new engine run on the same trainer (to go on after `step`, or to step an
    /// ended one by hand).
    func goOn(_ run: Run, epochs: Int, paused: Bool, patience: Int? = nil) throws(DescentError) {
        bench.views.rewound = nil
        runs.goOn(run, with: bench.factory.training(run.trainer, data: run.data, epochs: epochs, paused: paused,
                                                    patience: patience, checkpoints: run.checkpoints))
        try prepare(run)
    }

    /// Tells a run made or renewed what the views watch: the scalar `step` explains (the first
    /// weight unless `watch` chose one), the hidden unit and the attention sample in view.
    func prepare(_ run: Run) throws(DescentError) {
        if bench.watchTarget == nil { bench.watchTarget = WatchTarget.firstWeight(of: run.trainer.model) }
        if let target = bench.watchTarget {
            let (p, e) = try target.resolve(in: run.trainer.model)
            run.watch = target
            bench.tell(runs.control(.watch(parameter: p, element: e), to: run))
        }
        if let unit = bench.views.unit { bench.tell(runs.control(.probeUnit(layer: unit.layer, unit: unit.unit), to: run)) }
        if bench.views.attention.sample != 0 {
            bench.tell(runs.control(.probeAttention(sample: bench.views.attention.sample), to: run))
        }
    }

    // MARK: - train

    func train(_ c: Command) throws(DescentError) {
        if runs.isBusy, let r = bench.currentRecord {
            throw DescentError("run \(r.id) is still going: `stop` it first (or `pause` and `step`)")
        }
        let epochs = c.integer(orDefault: "epochs")
        let patience = c.integer("patience")
        let name = c.option("name")?.text
        if let name { try Workbench.checkRunName(name) }
        let run: Run
        var plan = "\(epochs) epochs"
        switch (runs.current, runs.currentPhase) {
        case let (current?, .ready?), let (current?, .stepped?):
            // Go on with a run that `step` started by hand or `load` made: it ends at epoch
            // `epochs`, the ones it has made counted, or makes `epochs` more once it is there
            // already; one rule for both (stepped 1 update of a full batch, `train epochs=100`
            // ends at 100; loaded at epoch 100, `train epochs=20` ends at 120).
            run = current
            let done = run.trainer.epochs
            let more = done < epochs ? epochs - done : epochs
            try goOn(run, epochs: more, paused: false, patience: patience)
            runs.update(run.id) { $0.plannedEpochs = done + more }
            plan = "goes on from update \(grouped(run.trainer.updates)) to epoch \(done + more)"
        default:
            run = try newRun(epochs: epochs, paused: false, patience: patience)
        }
        run.scripted = bench.scripted
        let total = runs.records[run.id - 1].plannedEpochs
        runs.update(run.id) {
            $0.reportEvery = max(1, total / 10)
            $0.learningRate = run.trainer.learningRate
            if let name { $0.name = name }
        }
        let r = runs.records[run.id - 1]
        let pace = bench.effectivePace
        bench.say("run \(r.label): \(r.modelName) · loss \(r.loss.rawValue) · \(r.optimizerName) · batch \(r.batchName) · \(plan)"
                  + (run.trainer.updatesPerEpoch == 1 ? " (1 update each: the batch is the whole training set)"
                     : " (\(grouped(run.trainer.updatesPerEpoch)) updates each)")
                  + (pace > 0 ? " · \(fmt(pace)) updates/s (`set pace max` for full speed)" : "")
                  + (patience.map { " · early stopping after \($0) epochs without a better validation loss" } ?? ""), .info)
        sayEvaluationSample(of: run, epochs: total)
        if bench.setup.schedule != .constant {
            bench.say(SetUpCommands.schedulePreview(bench.setup.schedule, base: run.trainer.learningRate,
                                                    updates: run.trainer.updatesPerEpoch * epochs), .info)
        }
        let estimateAfter = sayCost(of: run, epochs: total - run.trainer.epochs)
        runs.start(run, estimatingTimeAfter: estimateAfter, validating: ValidationStride(printingEvery: r.reportEvery))
    }

    /// When a run evaluates samples rather than whole splits (`EvaluationSample`), says so before
    /// it starts, naming how many of how many.
    private func sayEvaluationSample(of run: Run, epochs: Int) {
        let rows = run.trainer.sampleCount, validation = run.data.validation.count
        let forward = run.trainer.forwardMultiplyAddsPerSample
        let perEpoch = EvaluationSample.limit(training: rows, forward: forward)
        let atEnd = EvaluationSample.limitAtEnd(trained: rows * epochs, forward: forward)
        func part(_ what: String, _ count: Int, limit: Int) -> String? {
            EvaluationSample.samples(count, limit: limit) ? "\(what) on \(grouped(limit)) of its \(grouped(count)) samples" : nil
        }
        let parts = [part("each epoch validates", validation, limit: perEpoch),
                     part("the end reports the training set", rows, limit: atEnd),
                     part("the validation set", validation, limit: atEnd)].compactMap { $0 }
        guard !parts.isEmpty else { return }
        bench.say("to keep evaluation within a few % of the run, " + parts.joined(separator: "; ")
                  + " (spread over them)", .info)
    }

    // MARK: - pause, resume, stop, step

    func control(_ message: ControlMessage) throws(DescentError) {
        guard runs.isBusy else { throw DescentError("nothing is training: `train` starts a run") }
        runs.send(message)
    }

    /// `stop` (and Ctrl-C): ends what trains; a run stepped by hand ends too.
    func stop() throws(DescentError) {
        guard let notices = runs.stop() else { throw DescentError("nothing is training: `train` starts a run") }
        bench.tell(notices)
    }

    func step(_ c: Command) throws(DescentError) {
        let n = c.positional(orDefault: 0).integer ?? 1
        guard n >= 1, n <= 1_000_000 else { throw DescentError("step: N must be between 1 and 1,000,000") }
        if runs.isBusy {
            runs.send(.step(n))
            return
        }
        let run: Run
        switch (runs.current, runs.currentPhase) {
        case let (current?, .ready?), let (current?, .stepped?):
            run = current
        case let (current?, _):
            // The last run ended: keep stepping its model by hand.
            try goOn(current, epochs: 0, paused: true)
            run = current
        case (nil, _):
            if let record = bench.currentRecord {
                throw DescentError("run \(record.id) has no model of its own to step (it pools the folds of `cv`): "
                                   + "`train` or `step` after a set-up command makes a new run")
            }
            run = try newRun(epochs: 0, paused: true)
            let r = runs.records[run.id - 1]
            bench.say("run \(r.id) created for stepping: \(r.modelName) · loss \(r.loss.rawValue) · \(r.optimizerName) · batch \(r.batchName)", .info)
        }
        bench.tell(runs.step(run, n))
    }

    // MARK: - set, undo, watch

    /// `set KEY VALUE` changes the current run: the live one between two updates, an idle one
    /// for its next update. Never the set-up of later runs (set-up commands do that), except
    /// when there is no run to change: then it says so and sets up the next one. The command
    /// table checked the value's range.
    func set(_ c: Command) throws(DescentError) {
        guard let setting = c.keyword(LiveSetting.self), var value = c.positional(1) else {
            throw DescentError("set: expected one of \(LiveSetting.spellings) and a value")
        }
        // The suggestion goes to what `lr find` measured: the run stepped by hand, or the next run.
        var forNextRun = false
        if setting == .lr, c.keyword(LearningRateWord.self, at: 1) == .suggested {
            guard let found = bench.views.lrFind else { throw DescentError("set lr suggested: no suggestion yet: `lr find` makes one") }
            value = .number(Double(found.result.suggestion))
            forNextRun = found.run == nil || found.run != runs.currentID
        }
        let target = forNextRun ? nil : runs.current
        let message = try Self.controlMessage(setting, value, sampleCount: target?.trainer.sampleCount ?? bench.data?.train.count ?? 1)
        if case .setBatchSize(let b) = message, let run = target {
            do { try ModelLimits.checkActivations(run.trainer.model, batch: b) } catch {
                throw DescentError("set batch: \(error)")
            }
        }
        // μ of momentum and Nesterov, ρ of RMSprop, β₁ of Adam and AdamW; SGD has none.
        let optimizer = target.map { runs.records[$0.id - 1].setup.optimizer } ?? bench.setup.optimizer
        let momentumKey: OptimizerSetting = optimizer.value(.beta1) != nil ? .beta1 : .momentum
        if setting == .momentum, optimizer.value(momentumKey) == nil {
            throw DescentError("set momentum: \(optimizer.kind.rawValue) has no momentum; try `optimizer momentum`")
        }
        if let run = target {
            // Applied between two updates (or now, to a run no thread drives) and reported; the
            // run keeps its weights from before the change, for a divergence and for `undo`.
            bench.tell(runs.control(message, to: run))
            if !runs.isBusy, setting == .lr || setting == .batch {
                bench.say("(run \(run.id) only: new runs take the set-up's \(setting == .lr ? "`optimizer … lr=`" : "`batch`"))", .info)
            }
            return
        }
        switch message {
        case .setLearningRate(let lr):
            let old = bench.setup.optimizer.learningRate
            bench.setup.optimizer.learningRate = lr
            let why = forNextRun ? "`lr find` measured the next run's weights" : "no run to change"
            bench.say("lr \(fmt(old)) → \(fmt(lr)): \(why), so the next run's optimizer is now \(bench.setup.optimizer.description)", .change)
        case .setMomentum(let m):
            try? bench.setup.optimizer.set(momentumKey, m)
            bench.say("momentum → \(fmt(m)): no run to change, so the next run's optimizer is now \(bench.setup.optimizer.description)", .change)
        case .setBatchSize:
            bench.setup.batch = try SetUpCommands.batchSize(value, command: "set batch")
            bench.say("batch → \(bench.setup.batch.description): no run to change, so it is the next run's batch", .change)
        case .setPace(let rate):
            bench.setup.pace = Pace(rate: rate)
            bench.say("pace → " + (rate == 0 ? "max" : "\(fmt(rate)) updates/s") + " for the next runs", .change)
        default:
            break
        }
    }

    /// The control message `set SETTING VALUE` sends to a run.
    static func controlMessage(_ setting: LiveSetting, _ value: Value, sampleCount: Int) throws(DescentError) -> ControlMessage {
        switch setting {
        case .lr: return .setLearningRate(Float(value.number ?? 0))   // `suggested` is resolved before
        case .momentum: return .setMomentum(Float(value.number ?? 0))
        case .batch: return .setBatchSize(try SetUpCommands.batchSize(value, command: "set batch").size ?? sampleCount)
        case .pace:
            if case .word(let w) = value, PaceWord(rawValue: w) == .max { return .setPace(0) }
            return .setPace(value.number ?? 0)
        }
    }

    /// `undo`: the current run back as it was before its last `set` (weights, optimizer state
    /// and the setting).
    func undo() throws(DescentError) {
        guard let run = runs.current else {
            throw bench.currentRecord == nil ? DescentError("undo: no run yet: it takes back a `set` on a run") : runs.noLiveModel()
        }
        bench.tell(runs.control(.undo, to: run))
    }

    func watch(_ c: Command) throws(DescentError) {
        guard let text = c.positional(0)?.text, let target = WatchTarget(text) else {
            throw DescentError("watch: expected a parameter like dense1.w[4,1] or dense2.b[1] (rows and columns count from 1)")
        }
        if let run = runs.current {
            let (p, e) = try target.resolve(in: run.trainer.model)
            bench.tell(runs.control(.watch(parameter: p, element: e), to: run))
            run.watch = target
        } else if bench.data != nil, bench.setup.model != nil {
            _ = try target.resolve(in: try bench.previewModel())
        }
        bench.watchTarget = target
        bench.say("watching \(target): `step` explains how it moves" + (target.countingNote.map { " " + $0 } ?? ""), .info)
    }
}
