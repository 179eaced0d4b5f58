import TensorCore
import NeuralEngine
import Datasets
import CommandLanguage
import Models

// MARK: - seed, model, loss, optimizer, regularize, dropout, batch, schedule (data: Session+Data)

extension Session {
    func seedCommand(_ c: Command) throws(DescentError) {
        guard let n = c.positional(0)?.integer, n >= 0 else { throw DescentError("seed: expected a whole number ≥ 0") }
        setup.seed = UInt64(n)
        random = SessionRandom(seed: setup.seed)
        say("seed \(n): data, initial weights and shuffling now repeat exactly", .info)
    }

    /// A set-up for a lesson: everything as a new session has it, the runs kept; says so when
    /// something was set up before.
    public func startFresh(for reason: String) {
        guard !isBusy else { return }
        let wasFresh = setup == .fresh && data == nil && random.position == .fresh && currentRun == nil
        runs.detach()
        setup = .fresh
        random = SessionRandom(seed: setup.seed)
        data = nil
        watchTarget = nil
        guard !wasFresh else { return }
        say("\(reason) starts from a fresh set-up: seed \(setup.seed), no data or model, "
            + "optimizer \(setup.optimizer.description), batch \(setup.batch.description)"
            + (records.isEmpty ? "" : " (`runs` still lists the \(records.count) earlier run\(records.count == 1 ? "" : "s"))"), .info)
    }

    /// Forgets the current run's model once the set-up it was made for changes, so `step` and
    /// `train` start afresh with the new set-up instead of continuing the old one; the run's
    /// record stays. `set` changes the current run instead.
    func setUpChanged() {
        runs.detach()
        rewound = nil
        unitView = nil
        attentionView = AttentionView()
    }

    func modelCommand(_ c: Command) throws(DescentError) {
        let spec = try Self.modelSpec(from: c)
        // Check the layers can be made (units ≥ 1 and so on) before changing anything.
        if case .layers(let layers) = spec.kind {
            do { _ = try Sequential(layers) } catch { throw DescentError("model: \(error.description)") }
        }
        var layers: [LayerConfig] = []
        if let data {
            layers = try spec.layers(for: data.full, dropout: setup.dropout).layers
        }
        // A watched parameter, and a run stepped by hand, belong to the old model.
        if spec != setup.model {
            watchTarget = nil
            setUpChanged()
        }
        setup.model = spec
        setup.loss = nil
        say("model \(spec.description)" + (data == nil ? " (built when data is chosen)" : ""), .info)
        if let data, layers.first == .flatten {
            let shape = data.full.kind.sampleShape(columns: data.full.featureCount).map(String.init).joined(separator: "×")
            say("a Flatten layer comes first: it turns each \(shape) sample into one row of \(data.full.featureCount) numbers", .info)
        }
        if data != nil {
            do {
                say(try previewSummary().text, .table)
            } catch {
                say("this model cannot be built on the current data yet: \(error.message)", .warning)
            }
        }
    }

    static func modelSpec(from c: Command) throws(DescentError) -> ModelSpec {
        var spec = try modelKind(from: c)
        spec.initScale = c.number("init").map(Float.init)
        return spec
    }

    private static func modelKind(from c: Command) throws(DescentError) -> ModelSpec {
        guard let first = c.keyword else { throw DescentError("model: expected a preset or a layer") }
        switch first {
        case "linear": return ModelSpec(kind: .linear)
        case "logistic": return ModelSpec(kind: .logistic)
        case "softmax": return ModelSpec(kind: .softmax)
        case "svm": return ModelSpec(kind: .svm)
        case "cnn": return ModelSpec(kind: .cnn)
        case "textcls": return ModelSpec(kind: .textcls)
        case "rnn": return ModelSpec(kind: .rnn)
        case "gpt":
            let layers = c.integer("layers") ?? 3, heads = c.integer("heads") ?? 3, width = c.integer("width") ?? 48
            guard width % heads == 0 else {
                throw DescentError("model gpt: width=\(width) must be a multiple of heads=\(heads) (each head gets width/heads values)")
            }
            return ModelSpec(kind: .gpt(layers: layers, heads: heads, width: width))
        case "mlp":
            guard let units = c.positional(1)?.numbers, !units.isEmpty,
                  units.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 <= 1_000_000 }) else {
                throw DescentError("model mlp: expected hidden widths like 8,8 (whole numbers from 1 to 1,000,000)")
            }
            let act = Activation(rawValue: c.text("act") ?? "relu") ?? .relu
            return ModelSpec(kind: .mlp(hidden: units.map { Int($0) }, activation: act))
        default:
            var layers: [LayerConfig] = []
            for segment in 0..<c.segments.count {
                guard let kind = c.positional(0, segment: segment)?.text else { continue }
                switch kind {
                case "dense":
                    guard let units = c.positional(1, segment: segment)?.integer, units >= 1 else {
                        throw DescentError("model: dense needs a whole number of units ≥ 1, e.g. `dense 8 tanh`")
                    }
                    let actName = c.positional(2, segment: segment)?.text ?? "linear"
                    guard let act = Activation(rawValue: actName) else {
                        throw DescentError("model: unknown activation '\(actName)'; expected one of "
                                           + Activation.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    layers.append(.dense(units: units, activation: act))
                case "dropout":
                    guard let p = c.positional(1, segment: segment)?.number, p >= 0, p < 1 else {
                        throw DescentError("model: dropout needs a rate in [0, 1), e.g. `dropout 0.2`")
                    }
                    layers.append(.dropout(rate: Float(p)))
                default:
                    throw DescentError("model: unknown layer '\(kind)'")
                }
            }
            guard !layers.isEmpty else { throw DescentError("model: expected at least one layer") }
            return ModelSpec(kind: .layers(layers))
        }
    }

    func lossCommand(_ c: Command) throws(DescentError) {
        guard let name = c.keyword, let loss = LossKind(rawValue: name) else { throw DescentError("loss: expected a name") }
        setUpChanged()
        setup.loss = loss
        say("loss \(name)", .info)
    }

    func optimizerCommand(_ c: Command) throws(DescentError) {
        guard let name = c.keyword, let kind = OptimizerKind(rawValue: name) else {
            throw DescentError("optimizer: expected a name")
        }
        var config = OptimizerConfig(kind)
        // The command table checked the ranges and which options apply to which optimizer.
        for option in c.options {
            guard let value = option.value.number, let key = OptimizerSetting(rawValue: option.key) else { continue }
            do { try config.set(key, Float(value)) } catch { throw DescentError("optimizer: \(error.description)") }
        }
        setUpChanged()
        setup.optimizer = config
        if kind == .gd && setup.batch != .full {
            setup.batch = .full
            say("optimizer gd: gradient descent uses the whole training set per update (batch full)", .info)
        }
        say("optimizer \(config.description)", .info)
    }

    func regularizeCommand(_ c: Command) throws(DescentError) {
        let regularizer: Regularizer?
        switch c.keyword {
        case "none"?: regularizer = nil
        case let kind?:
            let strength = Float(c.positional(1)?.number ?? 0.001)
            guard strength >= 0, strength.isFinite else { throw DescentError("regularize: strength must be ≥ 0") }
            regularizer = kind == "l1" ? .l1(strength) : .l2(strength)
        case nil:
            throw DescentError("regularize: expected l1, l2 or none")
        }
        setUpChanged()
        setup.regularizer = regularizer
        say(regularizer.map { "regularize \($0.description): weights (not biases) are penalised" } ?? "regularize none", .info)
    }

    func dropoutCommand(_ c: Command) throws(DescentError) {
        guard let p = c.positional(0)?.number, p >= 0, p < 1 else {
            throw DescentError("dropout: expected a rate in [0, 1)")
        }
        setUpChanged()
        setup.dropout = p == 0 ? nil : Float(p)
        say(p == 0 ? "dropout off" : "dropout \(fmt(p)) after each hidden layer, if the model has any (training only)", .info)
    }

    func batchCommand(_ c: Command) throws(DescentError) {
        let batch = try Self.batchSize(c.positional(0), command: "batch")
        setUpChanged()
        setup.batch = batch
        switch batch {
        case .full:
            say("batch full: each update uses the whole training set (gradient descent)", .info)
        case .samples(let n):
            if let data, n >= data.train.count {
                say("batch \(n): as large as the training set (\(data.train.count) samples), so each update uses all of it, like `batch full`", .info)
            } else {
                say(n == 1 ? "batch 1: one sample per update (stochastic gradient descent)"
                           : "batch \(n): mini-batches of \(n) samples", .info)
            }
        }
    }

    /// `full` or a whole number ≥ 1 (the table checked it).
    static func batchSize(_ value: Value?, command: String) throws(DescentError) -> BatchSize {
        if value?.text == "full" { return .full }
        guard let n = value?.integer, n >= 1 else { throw DescentError("\(command): expected a whole number ≥ 1 or `full`") }
        return .samples(n)
    }

    func scheduleCommand(_ c: Command) throws(DescentError) {
        let schedule: Schedule
        switch c.keyword {
        case "none"?, "constant"?: schedule = .constant
        case "cosine"?: schedule = .cosine
        case "onecycle"?: schedule = .oneCycle
        case "step"?: schedule = .step(every: c.integer("every") ?? 10, gamma: Float(c.number("gamma") ?? 0.5))
        case "plateau"?: schedule = .plateau(patience: c.integer("patience") ?? 5, factor: Float(c.number("factor") ?? 0.5))
        default: throw DescentError("schedule: expected none, cosine, step, onecycle or plateau")
        }
        setUpChanged()
        setup.schedule = schedule
        say("schedule \(schedule.description)", .info)
        if schedule != .constant {
            // A preview over a nominal 100 epochs of the current data (the real plan prints at `train`).
            let perEpoch = data.map { max(1, ($0.train.count + (setup.batch.size ?? $0.train.count) - 1) / (setup.batch.size ?? $0.train.count)) } ?? 10
            say(Self.schedulePreview(schedule, base: setup.optimizer.learningRate, updates: 100 * perEpoch) + " (100 epochs of this data)", .info)
        }
    }

    /// The rate over a run as a one-line chart: `lr ▇▇▇▅▅▃▃▂▂▁ 0.01 → 5e-05 over 1,000 updates`.
    static func schedulePreview(_ schedule: Schedule, base: Float, updates: Int) -> String {
        if case let .plateau(patience, factor) = schedule {
            return "lr \(fmt(base)), times \(fmt(factor)) whenever the validation loss has not improved for \(patience) epochs"
        }
        let bars = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let total = max(updates, 1)
        let rates = (0..<24).map { schedule.rate(base: base, update: $0 * total / 24, total: total) }
        let top = max(rates.max() ?? base, .leastNormalMagnitude)
        let chart = rates.map { bars[min(bars.count - 1, max(0, Int(($0 / top) * Float(bars.count - 1) + 0.5)))] }.joined()
        let last = schedule.rate(base: base, update: total - 1, total: total)
        return "lr \(chart) \(fmt(rates.first ?? base)) → \(fmt(last)) over \(grouped(total)) updates"
    }
}
