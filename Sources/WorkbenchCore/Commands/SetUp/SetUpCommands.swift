import Foundation
import TensorCore
import NeuralEngine
import Datasets
import CommandLanguage
import Models

/// The set-up commands: `seed`, `data`, `model`, `loss`, `optimizer`, `regularize`, `dropout`,
/// `batch`, `schedule` and `reset`. Each changes the typed `Setup` the next run is made of (and
/// `data` the data it learns from), says what it did, and lets the current run's model go: the
/// next `step` or `train` starts afresh with the new set-up (`set` changes a run instead).
struct SetUpCommands {
    let bench: Workbench

    func seed(_ c: Command) throws(DescentError) {
        guard let n = c.positional(0)?.integer, n >= 0 else { throw DescentError("seed: expected a whole number ≥ 0") }
        bench.setup.seed = UInt64(n)
        bench.random = SessionRandom(seed: bench.setup.seed)
        bench.say("seed \(n): data, initial weights and shuffling now repeat exactly", .info)
    }

    /// `reset`: everything as a new session has it, the runs kept, said in one line.
    func reset() throws(DescentError) {
        if bench.runs.isBusy { throw DescentError("reset: a run is still going: `stop` it first") }
        startFresh(for: "reset", always: true)
    }

    /// Before the learner's own `data` of another data set than a notebook's (or a loaded
    /// model's) set-up has: the set-up goes back to a fresh one, so nothing the lesson chose
    /// (its seed, optimizer, batch …) carries into the learner's own runs; returns the line that
    /// says so (nil when nothing changed). A variant of the same data set, as lessons suggest
    /// (`data sequence noise=0.2`), keeps the lesson's set-up.
    func leaveNotebookSetUp(for c: Command) -> String? {
        guard c.id == .data, let from = bench.setupFrom, !bench.runs.isBusy,
              let word = c.keyword, let current = bench.setup.data else { return nil }
        let path = c.positional(1)?.text.map { SetUpCommands.resolved($0, for: c, lesson: bench.openLesson) }
        let same: Bool = switch current.source {
        case .csv(let p, _, _), .text(let p, _): word == current.kindWord && path == p
        case .idx(let images, _): word == current.kindWord && path == images
        default: word == current.kindWord
        }
        guard !same else { return nil }
        var left = bench.setup
        left.data = nil
        left.model = nil
        left.loss = nil
        let dropped = (left.seed != Setup.fresh.seed ? ["seed \(left.seed)"] : []) + left.modelCommands
        bench.setUpChanged()
        bench.setup = .fresh
        bench.random = SessionRandom(seed: Setup.fresh.seed)
        bench.setupFrom = nil
        guard !dropped.isEmpty else { return nil }
        return "your own data after \(from): its set-up stays with it (\(dropped.joined(separator: " · "))); "
            + "yours starts fresh: seed \(Setup.fresh.seed), optimizer \(Setup.fresh.optimizer.description), batch \(Setup.fresh.batch.description)"
    }

    /// The rule that a lesson's (or a loaded model's) set-up stays until changed, made visible:
    /// the learner's first own `data` or `model` after a notebook's set-up commands says which
    /// of its settings the next run keeps, once.
    func noteSetUpSource(of c: Command, scripted: Bool) {
        let setUpCommands: Set<CommandID> = [.seed, .data, .model, .loss, .optimizer, .regularize, .dropout, .batch, .schedule]
        guard setUpCommands.contains(c.id) else { return }
        if scripted {
            if let file = c.location.file { bench.setupFrom = URL(fileURLWithPath: file).lastPathComponent }
            return
        }
        guard c.id == .data || c.id == .model, let from = bench.setupFrom else { return }
        bench.setupFrom = nil
        var kept = bench.setup
        kept.model = nil
        kept.loss = nil
        let lines = (kept.seed != Setup.fresh.seed ? ["seed \(kept.seed)"] : []) + kept.modelCommands
        guard !lines.isEmpty else { return }
        bench.say("still set from \(from): \(lines.joined(separator: " · ")); `reset` starts from a fresh set-up", .info)
    }

    /// A set-up for a lesson: everything as a new session has it, the runs kept; says so when
    /// something was set up before (or `always`).
    func startFresh(for reason: String, always: Bool = false) {
        guard !bench.runs.isBusy else { return }
        let wasFresh = bench.setup == .fresh && bench.data == nil && bench.random.position == .fresh
            && bench.currentRecord == nil
        bench.runs.detach()
        bench.setup = .fresh
        bench.random = SessionRandom(seed: bench.setup.seed)
        bench.data = nil
        bench.watchTarget = nil
        bench.setupFrom = nil
        bench.views.startFresh()
        guard !wasFresh || always else { return }
        let count = bench.records.count
        bench.say("\(reason) starts from a fresh set-up: seed \(bench.setup.seed), no data or model, "
                  + "optimizer \(bench.setup.optimizer.description), batch \(bench.setup.batch.description)"
                  + (count == 0 ? "" : " (`runs` still lists the \(count) earlier run\(count == 1 ? "" : "s"))"), .info)
    }

    func model(_ c: Command) throws(DescentError) {
        let spec = try Self.modelSpec(from: c)
        // Check the layers can be made (units ≥ 1 and so on) before changing anything.
        if case .layers(let layers) = spec.kind {
            do { _ = try Sequential(layers) } catch { throw DescentError("model: \(error.description)") }
        }
        var layers: [LayerConfig] = []
        if let data = bench.data {
            layers = try spec.layers(for: data.full, dropout: bench.setup.dropout).layers
        }
        // A watched parameter, and a run stepped by hand, belong to the old model.
        if spec != bench.setup.model {
            bench.watchTarget = nil
            bench.setUpChanged()
        }
        bench.setup.model = spec
        bench.setup.loss = nil
        bench.say("model \(spec.description)" + (bench.data == nil ? " (built when data is chosen)" : ""), .info)
        guard let data = bench.data else { return }
        if layers.first == .flatten {
            let shape = data.full.kind.sampleShape(columns: data.full.featureCount).map(String.init).joined(separator: "×")
            bench.say("a Flatten layer comes first: it turns each \(shape) sample into one row of \(data.full.featureCount) numbers", .info)
        }
        do {
            bench.say(ModelSummary(try bench.previewModel()).text(width: bench.frontEnd.textWidth), .table)
        } catch {
            bench.say("this model cannot be built on the current data yet: \(error.message)", .warning)
        }
    }

    func loss(_ c: Command) throws(DescentError) {
        guard let name = c.keyword, let loss = LossKind(rawValue: name) else { throw DescentError("loss: expected a name") }
        bench.setUpChanged()
        bench.setup.loss = loss
        bench.say("loss \(name)", .info)
    }

    func optimizer(_ c: Command) throws(DescentError) {
        guard let name = c.keyword, let kind = OptimizerKind(rawValue: name) else {
            throw DescentError("optimizer: expected a name")
        }
        var config = OptimizerConfig(kind)
        // The command table checked the ranges and which options apply to which optimizer.
        for option in c.options {
            guard let value = option.value.number, let key = OptimizerSetting(rawValue: option.key) else { continue }
            do { try config.set(key, Float(value)) } catch { throw DescentError("optimizer: \(error.description)") }
        }
        bench.setUpChanged()
        bench.setup.optimizer = config
        if kind == .gd && bench.setup.batch != .full {
            bench.setup.batch = .full
            bench.say("optimizer gd: gradient descent uses the whole training set per update (batch full)", .info)
        }
        bench.say("optimizer \(config.description)", .info)
    }

    func regularize(_ c: Command) throws(DescentError) {
        guard let kind = c.keyword(RegularizerKind.self) else { throw DescentError("regularize: expected l1, l2 or none") }
        let regularizer: Regularizer?
        switch kind {
        case .none: regularizer = nil
        case .l1, .l2:
            let strength = Float(c.positional(orDefault: 1).number ?? 0)
            guard strength >= 0, strength.isFinite else { throw DescentError("regularize: strength must be ≥ 0") }
            regularizer = kind == .l1 ? .l1(strength) : .l2(strength)
        }
        bench.setUpChanged()
        bench.setup.regularizer = regularizer
        bench.say(regularizer.map { "regularize \($0.description): weights (not biases) are penalised" } ?? "regularize none", .info)
    }

    func dropout(_ c: Command) throws(DescentError) {
        guard let p = c.positional(0)?.number, p >= 0, p < 1 else {
            throw DescentError("dropout: expected a rate in [0, 1)")
        }
        bench.setUpChanged()
        bench.setup.dropout = p == 0 ? nil : Float(p)
        bench.say(p == 0 ? "dropout off" : "dropout \(fmt(p)) after each hidden layer, if the model has any (training only)", .info)
    }

    func batch(_ c: Command) throws(DescentError) {
        let batch = try Self.batchSize(c.positional(0), command: "batch")
        bench.setUpChanged()
        bench.setup.batch = batch
        switch batch {
        case .full:
            bench.say("batch full: each update uses the whole training set (gradient descent)", .info)
        case .samples(let n):
            if let data = bench.data, n >= data.train.count {
                bench.say("batch \(n): as large as the training set (\(data.train.count) samples), so each update uses all of it, like `batch full`", .info)
            } else {
                bench.say(n == 1 ? "batch 1: one sample per update (stochastic gradient descent)"
                                 : "batch \(n): mini-batches of \(n) samples", .info)
            }
        }
    }

    /// `full` or a whole number ≥ 1 (the table checked it).
    static func batchSize(_ value: Value?, command: String) throws(DescentError) -> BatchSize {
        if case .word(let w)? = value, BatchWord(rawValue: w) == .full { return .full }
        guard let n = value?.integer, n >= 1 else { throw DescentError("\(command): expected a whole number ≥ 1 or `full`") }
        return .samples(n)
    }

    func schedule(_ c: Command) throws(DescentError) {
        guard let kind = c.keyword(ScheduleKind.self) else {
            throw DescentError("schedule: expected one of " + ScheduleKind.spellings)
        }
        let schedule: Schedule = switch kind {
        case .none, .constant: .constant
        case .cosine: .cosine
        case .onecycle: .oneCycle
        case .step: .step(every: c.integer(orDefault: "every"), gamma: Float(c.number(orDefault: "gamma")))
        case .plateau: .plateau(patience: c.integer(orDefault: "patience"), factor: Float(c.number(orDefault: "factor")))
        }
        bench.setUpChanged()
        bench.setup.schedule = schedule
        bench.say("schedule \(schedule.description)", .info)
        if schedule != .constant {
            // A preview over a nominal 100 epochs of the current data (the real plan prints at `train`).
            let perEpoch = bench.data.map { d in
                let b = bench.setup.batch.size ?? d.train.count
                return max(1, (d.train.count + b - 1) / b)
            } ?? 10
            bench.say(Self.schedulePreview(schedule, base: bench.setup.optimizer.learningRate, updates: 100 * perEpoch)
                      + " (100 epochs of this data)", .info)
        }
    }

    /// The rate over a run as a one-line chart: `lr ▇▇▇▅▅▃▃▂▂▁ 0.01 → 5e-05 over 1,000 updates`.
    static func schedulePreview(_ schedule: Schedule, base: Float, updates: Int) -> String {
        if case let .plateau(patience, factor) = schedule {
            return "lr \(fmt(base)), times \(fmt(factor)) whenever the validation loss has not improved for \(patience) epochs"
        }
        let total = max(updates, 1)
        let rates = (0..<24).map { schedule.rate(base: base, update: $0 * total / 24, total: total) }
        let top = max(rates.max() ?? base, .leastNormalMagnitude)
        let chart = textBars(rates.map(Double.init), range: 0...Double(top))
        let last = schedule.rate(base: base, update: total - 1, total: total)
        return "lr \(chart) \(fmt(rates.first ?? base)) → \(fmt(last)) over \(grouped(total)) updates"
    }
}
