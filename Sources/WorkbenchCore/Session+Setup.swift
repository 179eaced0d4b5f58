import TensorCore
import NeuralEngine
import Datasets
import CommandLanguage

// MARK: - seed, data, model, loss, optimizer, regularize, dropout, batch, schedule

extension Session {
    func seedCommand(_ c: Command) throws(SessionError) {
        guard let n = c.positional(0)?.integer, n >= 0 else { throw SessionError("seed: expected a whole number ≥ 0") }
        seed = UInt64(n)
        rng = SeededGenerator(seed: seed)
        say("seed \(n): data, initial weights and shuffling now repeat exactly", .info)
    }

    func modelCommand(_ c: Command) throws(SessionError) {
        let spec = try Self.modelSpec(from: c)
        // Check the layers can be made (units ≥ 1 and so on) before changing anything.
        if case .layers(let layers) = spec.kind {
            do { _ = try ModelSpec.build(layers) } catch { throw SessionError("model: \(error.description)") }
        }
        var layers: [LayerSpec] = []
        if let data {
            layers = try spec.layers(for: data.full, dropout: dropout).layers
        }
        // A watched parameter, and a run stepped by hand, belong to the old model.
        if spec != modelSpec { watchTarget = nil; detachIdleRun() }
        modelSpec = spec
        lossOverride = nil
        say("model \(spec.description)" + (data == nil ? " (built when data is chosen)" : ""), .info)
        if let data, layers.first == .flatten {
            let shape = data.full.kind.sampleShape(columns: data.full.featureCount).map(String.init).joined(separator: "×")
            say("a Flatten layer comes first: it turns each \(shape) sample into one row of \(data.full.featureCount) numbers", .info)
        }
        if let data {
            do {
                say(try previewSummary(for: data).text)
            } catch {
                say("this model cannot be built on the current data yet: \(error.message)", .warning)
            }
        }
    }

    static func modelSpec(from c: Command) throws(SessionError) -> ModelSpec {
        guard let first = c.keyword else { throw SessionError("model: expected a preset or a layer") }
        switch first {
        case "linear": return ModelSpec(kind: .linear)
        case "logistic": return ModelSpec(kind: .logistic)
        case "softmax": return ModelSpec(kind: .softmax)
        case "svm": return ModelSpec(kind: .svm)
        case "cnn": return ModelSpec(kind: .cnn)
        case "textcls": return ModelSpec(kind: .textcls)
        case "rnn": return ModelSpec(kind: .rnn)
        case "mlp":
            guard let units = c.positional(1)?.numbers, !units.isEmpty,
                  units.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 <= 1_000_000 }) else {
                throw SessionError("model mlp: expected hidden widths like 8,8 (whole numbers from 1 to 1,000,000)")
            }
            let act = Activation(rawValue: c.text("act") ?? "relu") ?? .relu
            return ModelSpec(kind: .mlp(hidden: units.map { Int($0) }, activation: act))
        default:
            var layers: [LayerSpec] = []
            for segment in 0..<c.segments.count {
                guard let kind = c.positional(0, segment: segment)?.text else { continue }
                switch kind {
                case "dense":
                    guard let units = c.positional(1, segment: segment)?.integer, units >= 1 else {
                        throw SessionError("model: dense needs a whole number of units ≥ 1, e.g. `dense 8 tanh`")
                    }
                    let actName = c.positional(2, segment: segment)?.text ?? "linear"
                    guard let act = Activation(rawValue: actName) else {
                        throw SessionError("model: unknown activation '\(actName)'; expected one of "
                                           + Activation.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    layers.append(.dense(units: units, activation: act))
                case "dropout":
                    guard let p = c.positional(1, segment: segment)?.number, p >= 0, p < 1 else {
                        throw SessionError("model: dropout needs a rate in [0, 1), e.g. `dropout 0.2`")
                    }
                    layers.append(.dropout(Float(p)))
                default:
                    throw SessionError("model: unknown layer '\(kind)'")
                }
            }
            guard !layers.isEmpty else { throw SessionError("model: expected at least one layer") }
            return ModelSpec(kind: .layers(layers))
        }
    }

    /// Forgets the last run's model (not its record) once the set-up it was made for changes
    /// (data, model, loss, optimizer, regularization, dropout, batch, schedule), so `step` and
    /// `train` start afresh with the new set-up instead of continuing the old one. `set` changes
    /// the live model instead. Never while busy.
    func detachIdleRun() {
        guard !isBusy, let a = active else { return }
        if a.runner == nil, !a.finalized, runs[a.recordIndex].status == .paused { runs[a.recordIndex].status = .stopped }
        active = nil
    }

    func lossCommand(_ c: Command) throws(SessionError) {
        guard let name = c.keyword else { throw SessionError("loss: expected a name") }
        do { _ = try Losses.named(name) } catch { throw SessionError(error.description) }
        detachIdleRun()
        lossOverride = name
        say("loss \(name)", .info)
    }

    func optimizerCommand(_ c: Command) throws(SessionError) {
        guard let name = c.keyword else { throw SessionError("optimizer: expected a name") }
        var options: [String: Float] = [:]
        for key in ["lr", "momentum", "beta1", "beta2", "eps", "decay"] {
            if let v = c.number(key) { options[key] = Float(v) }
        }
        do { _ = try Self.makeOptimizer(name, options) } catch { throw SessionError(error.description) }
        detachIdleRun()
        optimizerName = name
        optimizerOptions = options
        if name == "gd" && batchSize != nil {
            batchSize = nil
            say("optimizer gd: gradient descent uses the whole training set per update (batch full)", .info)
        }
        say("optimizer \(optimizerDescription)", .info)
    }

    static func makeOptimizer(_ name: String, _ o: [String: Float]) throws(ModelError) -> any Optimizer {
        try Optimizers.named(name, learningRate: o["lr"], momentum: o["momentum"] ?? o["beta1"],
                             beta2: o["beta2"], epsilon: o["eps"], weightDecay: o["decay"])
    }

    /// `adam lr=0.01`: the name, the learning rate (default filled in) and any option set.
    var optimizerDescription: String {
        guard let o = try? Self.makeOptimizer(optimizerName, optimizerOptions) else { return optimizerName }
        let shown = o.settings.filter { $0.name == "lr" || optimizerOptions[$0.name] != nil }
        return ([optimizerName] + shown.map { "\($0.name)=\(fmt($0.value))" }).joined(separator: " ")
    }

    func regularizeCommand(_ c: Command) throws(SessionError) {
        detachIdleRun()
        switch c.keyword {
        case "none"?:
            regularizer = nil
            say("regularize none", .info)
        case let kind?:
            let strength = Float(c.positional(1)?.number ?? 0.001)
            guard strength >= 0, strength.isFinite else { throw SessionError("regularize: strength must be ≥ 0") }
            regularizer = kind == "l1" ? .l1(strength) : .l2(strength)
            say("regularize \(kind) \(fmt(strength)): weights (not biases) are penalised", .info)
        case nil:
            throw SessionError("regularize: expected l1, l2 or none")
        }
    }

    func dropoutCommand(_ c: Command) throws(SessionError) {
        guard let p = c.positional(0)?.number, p >= 0, p < 1 else {
            throw SessionError("dropout: expected a rate in [0, 1)")
        }
        detachIdleRun()
        dropout = p == 0 ? nil : Float(p)
        say(p == 0 ? "dropout off" : "dropout \(fmt(p)) after each hidden layer, if the model has any (training only)", .info)
    }

    func batchCommand(_ c: Command) throws(SessionError) {
        detachIdleRun()
        if c.positional(0)?.text == "full" {
            batchSize = nil
            say("batch full: each update uses the whole training set (gradient descent)", .info)
        } else if let n = c.positional(0)?.integer, n >= 1 {
            batchSize = n
            if let data, n >= data.train.count {
                say("batch \(n): as large as the training set (\(data.train.count) samples), so each update uses all of it, like `batch full`", .info)
            } else {
                say(n == 1 ? "batch 1: one sample per update (stochastic gradient descent)"
                           : "batch \(n): mini-batches of \(n) samples", .info)
            }
        } else {
            throw SessionError("batch: expected a whole number ≥ 1 or `full`")
        }
    }

    func scheduleCommand(_ c: Command) throws(SessionError) {
        detachIdleRun()
        switch c.keyword {
        case "none"?, "constant"?: schedule = .constant
        case "cosine"?: schedule = .cosine
        case "onecycle"?: schedule = .oneCycle
        case "step"?:
            schedule = .step(every: c.integer("every") ?? 10, gamma: Float(c.number("gamma") ?? 0.5))
        default: throw SessionError("schedule: expected none, cosine, step or onecycle")
        }
        say("schedule \(c.keyword!)", .info)
    }
}
