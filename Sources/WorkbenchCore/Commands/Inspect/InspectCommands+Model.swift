import TensorCore
import NeuralEngine
import CommandLanguage
import Models

// MARK: - gradcheck, show weights, show grads: looking inside the learner's own model

extension InspectCommands {
    /// `gradcheck [PARAM]`: backprop's gradient of a few weights beside central finite
    /// differences, on the current run's model and its last batch, and a one-line verdict.
    func gradcheck(_ c: Command) throws(DescentError) {
        let run = try runs.idleRun(for: "gradcheck")
        let model = run.trainer.model
        var checks: [(name: String, index: Int, elements: [Int])] = []
        if let text = c.positional(0)?.text {
            guard let target = WatchTarget(text) else { throw DescentError("gradcheck: expected a parameter like dense1.w or dense1.w[4,1]") }
            let whole = target.index.isEmpty
            let (p, e) = try target.resolve(in: model)
            if let note = target.countingNote { bench.say(note, .info) }
            checks.append(("\(target.layer).\(target.parameter)", p, whole ? Self.sampleElements(model.parameters[p].value.count) : [e]))
        } else {
            for (i, named) in model.namedParameters.enumerated() {
                checks.append((named.name, i, Self.sampleElements(named.parameter.value.count)))
            }
        }
        var rows = [["parameter", "backprop", "numeric", "rel. error"]]
        var worst: (name: String, entry: GradientCheck.Entry)?
        for check in checks {
            let entries: [GradientCheck.Entry]
            do { entries = try run.trainer.gradientCheck(parameter: check.index, elements: check.elements) } catch {
                throw DescentError("gradcheck: run \(run.id) has made no update yet: `step` once, then gradcheck")
            }
            let shape = model.parameters[check.index].value.shape
            for entry in entries {
                let name = check.name + Self.indexText(entry.element, shape: shape)
                rows.append([name, fmt(entry.analytic), fmt(entry.numeric), String(format: "%.1e", Double(entry.relativeError))])
                if worst == nil || entry.relativeError > worst!.entry.relativeError { worst = (name, entry) }
            }
        }
        bench.say("gradcheck of run \(run.id) on its last batch (\(run.trainer.batchX.rows) samples),"
            + " central differences with ε = \(fmt(GradientCheck.epsilon)):")
        bench.sayTable(rows)
        guard let worst else { return }
        if worst.entry.passes {
            bench.say("✓ backprop agrees with finite differences (worst relative error \(String(format: "%.1e", Double(worst.entry.relativeError)))"
                + " < \(fmt(GradientCheck.bound)))", .info)
        } else {
            bench.say("✗ \(worst.name): backprop says \(fmt(worst.entry.analytic)), finite differences \(fmt(worst.entry.numeric))"
                + " — a gradient that disagrees this much is wrong or stale (a kink such as ReLU's at 0 can also do it)", .warning)
        }
    }

    /// Up to three elements spread over a parameter: its first, middle and last.
    static func sampleElements(_ count: Int) -> [Int] {
        Array(Set([0, count / 2, count - 1].filter { $0 >= 0 && $0 < count })).sorted()
    }

    /// `[4,1]` for flat element 3·columns + 0 of `shape`: rows and columns counted from 1.
    static func indexText(_ element: Int, shape: [Int]) -> String {
        var rest = element
        var index = [Int](repeating: 0, count: shape.count)
        for (d, size) in shape.enumerated().reversed() where size > 0 {
            index[d] = rest % size
            rest /= size
        }
        return WatchTarget.indexText(index)
    }

    /// `show weights [LAYER]`: a small layer's weights and biases, as numbers. The current run's
    /// model, else the one the next run would start from.
    func showWeights(_ layer: String?) throws(DescentError) {
        let model: Sequential
        if runs.current != nil { model = try runs.idleRun(for: "show weights").trainer.model } else { model = try bench.previewModel() }
        let named = model.namedParameters.filter { layer == nil || $0.name.hasPrefix(layer! + ".") }
        guard !named.isEmpty else {
            let layers = zip(model.names, model.layers).filter { !$0.1.parameters.isEmpty }.map(\.0)
            throw DescentError("show weights: no layer \(excerpt(layer ?? "")) with weights; layers: " + layers.joined(separator: ", "))
        }
        bench.say(runs.current.map { "run \($0.id)'s weights after \(grouped($0.trainer.updates)) updates:" }
            ?? "the weights the next run starts from (no run yet):")
        let labels = WeightLabels(model: model, data: bench.data?.full)
        for (name, parameter) in named {
            let value = parameter.value
            guard value.count <= 64 else {
                bench.say("\(name)  \(Tensor.describe(value.shape)): \(grouped(value.count)) values, too many to list (|W| \(fmt(value.l2Norm())))")
                continue
            }
            if value.rank == 2 {
                let (rowNames, columnNames) = labels.of(name, shape: value.shape)
                bench.say("\(name)  \(Tensor.describe(value.shape)): a row per input, a column per unit")
                let rows = (0..<value.shape[0]).map { r in
                    [rowNames[r]] + (0..<value.shape[1]).map { fmt(value.scalars[r * value.shape[1] + $0]) }
                }
                for line in table([[""] + columnNames] + rows, leftAligned: [0]) { bench.say(line, .table) }
            } else {
                bench.say("\(name)  \(Tensor.describe(value.shape)): " + value.scalars.map(fmt).joined(separator: "  "))
            }
        }
    }

    /// `show histograms`: each layer's health — its weights' and gradients' spread as
    /// histograms, how much the last update moved it, and its saturated units — flagging a layer
    /// that is dead, stuck or exploding.
    func showHistograms() throws(DescentError) {
        guard bench.currentRecord != nil, let health = display.latestSnapshot?.health ?? idleHealth(), !health.isEmpty else {
            throw DescentError("show histograms: no run yet: `step` or `train` first")
        }
        bench.say("layer health of run \(bench.currentRecord!.id): weights and their gradients (histograms over ±max), the last update's"
            + " ‖Δw‖/‖w‖ (about 1e-3 is healthy) and saturated units")
        var rows = [["layer", "weights", "±", "gradients", "±", "Δw/w", "saturated"]]
        var warnings: [String] = []
        for h in health where h.weights != nil || h.saturated != nil {
            let ratio = h.updateRatio.map { String(format: "%.1e", Double($0)) } ?? "–"
            let saturated = h.saturated.map { "\(Int(($0 * 100).rounded())) % \(h.saturationKind!.rawValue)" } ?? ""
            rows.append([h.layer, h.weights.map(Self.bars) ?? "", h.weights.map { fmt($0.high) } ?? "",
                         h.gradients.map(Self.bars) ?? "", h.gradients.map { fmt($0.high) } ?? "", ratio, saturated])
            warnings += h.warnings
        }
        bench.sayTable(rows, leftAligned: [1, 3, 6])
        for warning in warnings { bench.say(warning, .warning) }
    }

    /// A histogram as eight-level bars: `▁▃▇█▇▃▁`.
    static func bars(_ h: LayerHealth.Histogram) -> String {
        let levels = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let top = max(h.counts.max() ?? 1, 1)
        return h.counts.map { $0 == 0 ? " " : levels[min(7, $0 * 7 / top)] }.joined()
    }

    /// Health of the current run's idle model when it has no snapshot yet.
    private func idleHealth() -> [LayerHealth]? {
        guard let run = try? runs.idleRun(for: "show histograms") else { return nil }
        return LayerHealth.measure(run.trainer.model, updateRatios: [])
    }

    /// `show grads`: each layer's gradient norm in the last update beside its weight norm.
    func showGrads() throws(DescentError) {
        let summary = try display.currentSummary()
        let rows = [["layer", "|∇W|", "|W|", "|∇W|/|W|"]] + summary.rows.filter { $0.parameters > 0 }.map { r in
            [r.name, fmt(r.gradientNorm), fmt(r.weightNorm), r.weightNorm > 0 ? String(format: "%.1e", Double(r.gradientNorm / r.weightNorm)) : "–"]
        }
        bench.say(bench.currentRecord.map { "gradient norms of run \($0.id)'s last update (0 before any):" } ?? "no update yet: gradients are 0")
        bench.sayTable(rows)
    }
}
