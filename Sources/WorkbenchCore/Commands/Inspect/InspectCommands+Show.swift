import Foundation
import NeuralEngine
import Datasets
import CommandLanguage
import Models

/// The commands that look: `show` (every view), `gradcheck`, `rewind`, `runs` and `expect`.
/// They read the runs' records and models and the data, change only what the panes show
/// (`ViewState`) and ask the run coordinator when a run must publish a new snapshot.
struct InspectCommands {
    let bench: Workbench
    let display: Display
    var runs: RunCoordinator { bench.runs }
    var data: DataState? { bench.data }

    /// The current run's model as it is now, when it is neither driven nor ended (made by `step`
    /// or `load`): its figures are computed from its weights rather than read from its record.
    var modelNow: Run? {
        switch runs.currentPhase {
        case .ready?, .stepped?: runs.current
        case .driven?, .ended?, nil: nil
        }
    }

    func show(_ c: Command) throws(DescentError) {
        let view = c.keyword(ShowView.self) ?? .layers
        switch view {
        case .layers: bench.say(try display.currentSummary().text(width: bench.frontEnd.textWidth), .table)
        case .weights: try showWeights(c.positional(1)?.text)
        case .grads: try showGrads()
        case .histograms: try showHistograms()
        case .metrics: try showMetrics()
        case .confusion: try showConfusion()
        case .data: try showData()
        case .history: try showHistory()
        case .boundary:
            guard bench.data?.task.classCount != nil, bench.data?.full.featureCount == 2 else {
                throw DescentError("show boundary needs 2-D classification data, e.g. `data spiral`")
            }
            bench.say(bench.frontEnd.screenNote ?? "the decision boundary is drawn in the screen's evaluation pane", .info)
        case .fit: try showFit()
        case .contour: try showContour()
        case .unit: try showUnit(c)
        case .attention: try showAttention(c)
        case .heads: try showHeads()
        case .positions: try showPositions()
        case .lens: try showLens()
        case .ladder: try showLadder()
        case .misclassified: try showMisclassified(c)
        case .serve: try display.models.showServe()
        }
        bench.views.ask(for: .show(view))
    }
}

extension InspectCommands {
    private func showMetrics() throws(DescentError) {
        guard let r = bench.currentRecord else { throw runs.noLiveModel() }
        let validation = display.currentValidation()
        let train = runs.isBusy ? nil
            : modelNow.map { $0.trainer.evaluate(x: $0.data.train.features, y: $0.data.train.targets) } ?? r.trainEvaluation
        let names = LearningTask.allMetricNames   // the ones this run has are shown
        var rows = [["metric", "train", "validation"]]
        for name in names {
            let t = train?.metrics[name], v = validation?.metrics[name]
            if t == nil && v == nil { continue }
            rows.append([name, t.map(fmt) ?? "…", v.map(fmt) ?? "…"])
        }
        bench.say("run \(r.id) after \(r.epochs) epochs, \(grouped(r.updates)) updates" + (runs.isBusy ? " (training; train column when it ends)" : ""))
        bench.sayTable(rows)
    }

    private func showConfusion() throws(DescentError) {
        guard bench.currentRecord != nil else { throw runs.noLiveModel() }
        guard let evaluation = display.currentValidation() else { throw DescentError("no evaluation yet: wait for the first epoch") }
        guard let m = evaluation.confusion else {
            throw DescentError("show confusion needs classes; this data is regression: try `show metrics`")
        }
        let names = data?.full.classNames ?? []
        func name(_ c: Int) -> String { c < names.count ? names[c] : "\(c)" }
        bench.say("confusion matrix (validation, \(m.total) samples): rows are the true class, columns the prediction")
        var rows = [["true \\ pred"] + (0..<m.classes).map { "pred \(name($0))" } + ["P", "R", "F1"]]
        for t in 0..<m.classes {
            rows.append([name(t)] + m.counts[t].map(String.init)
                        + [String(format: "%.2f", m.precision(t)), String(format: "%.2f", m.recall(t)),
                           String(format: "%.2f", m.f1(t))])
        }
        rows.append(["macro"] + Array(repeating: "", count: m.classes)
                    + [String(format: "%.2f", m.macroPrecision), String(format: "%.2f", m.macroRecall),
                       String(format: "%.2f", m.macroF1)])
        bench.sayTable(rows)
        bench.say("accuracy \(String(format: "%.3f", m.accuracy))")
    }

    private func showData() throws(DescentError) {
        guard let data else { throw DescentError("no data yet: try `data spiral`") }
        bench.views.selection = nil
        if data.full.kind != .table { return showSamples(of: data) }
        // What `data` said is not said again: which rows these are, and what the model sees of them.
        let shown = min(8, data.full.count)
        bench.say("\(data.full.name): rows #1–#\(shown) of \(grouped(data.full.count)) as given; for the model, "
                  + SetUpCommands.preprocessingNote(data))
        let header = data.full.featureNames + [data.full.task.classCount == nil ? "target" : "class"]
        var rows = [["#"] + header]
        for r in 0..<min(8, data.full.count) {
            let features = (0..<data.full.featureCount).map { fmt(data.full.features.scalars[r * data.full.featureCount + $0]) }
            let target = data.full.targets.scalars[r]
            let label = data.full.task.classCount == nil ? fmt(target)
                : (Int(target) < data.full.classNames.count ? data.full.classNames[Int(target)] : "\(Int(target))")
            rows.append([SamplePreview.number(r)] + features + [label])
        }
        bench.sayTable(rows)
    }

    /// `show contour`: where the two-parameter model started, where it is, and where the
    /// minimum of its training loss lies; the screen draws the surface with the path.
    private func showContour() throws(DescentError) {
        // The current run, or before any update the next one, from where it will start.
        guard let record = display.shownRun else {
            throw bench.data == nil ? DescentError("show contour: no data yet: try `data linear`") : runs.noLiveModel()
        }
        guard display.hasLossSurface, let architecture = record.architecture, let data,
              let start = record.path.points.first, let now = record.path.current,
              let surface = display.lossSurface(reusing: nil),
              let j = LossSurface.objective(architecture: architecture, loss: record.loss, regularizer: record.setup.regularizer,
                                            x: data.train.features, y: data.train.targets) else {
            throw DescentError("show contour needs a model with exactly two parameters (w and b), e.g. "
                               + "`data linear` then `model linear`, or one feature and `model logistic`")
        }
        func at(_ w: Float, _ b: Float) -> String { "w \(fmt(w)), b \(fmt(b)) (J \(fmt(j(Double(w), Double(b)))))" }
        if bench.currentRecord == nil {
            bench.say("J(w, b) of the next run (run \(record.id), not started yet), its training loss over its two parameters:")
            bench.say("  it starts at " + at(start.w, start.b) + "; `step` makes its first update")
        } else {
            bench.say("J(w, b) of run \(record.id), its training loss over its two parameters:")
            bench.say("  started at " + at(start.w, start.b) + "; after \(grouped(now.update)) updates at " + at(now.w, now.b))
        }
        bench.say("  minimum at w \(fmt(surface.minimum.w)), b \(fmt(surface.minimum.b)) (J \(fmt(surface.minimum.loss)))"
            + (surface.minimumIsExact ? ", exact (least squares)" : ", the lowest point of the window drawn"))
        if let note = bench.frontEnd.screenNote { bench.say(note, .info) }
    }

    private func showFit() throws(DescentError) {
        guard let data else { throw runs.noLiveModel() }
        guard data.task.classCount == nil else {
            throw DescentError("show fit is for regression; for classes try `show confusion`")
        }
        guard let run = runs.current else { throw runs.noLiveModel() }
        guard !runs.isBusy else { throw DescentError("show fit: wait for the run to end (or `pause`)") }
        guard let predicted = try? run.trainer.predict(run.data.validation.features) else { return }
        let y = run.data.validationTargets
        let metrics = RegressionMetrics(predicted: predicted.scalars, truth: y)
        bench.say("validation: MSE \(fmt(metrics.mse))  MAE \(fmt(metrics.mae))  R² \(fmt(metrics.r2))")
        // Numbered as everywhere (`show misclassified`, the data pane): the sample's row in the data set.
        bench.say("the first \(min(8, y.count)) validation samples; #N is the sample's row in the data set")
        var rows = [["#", "true", "predicted", "error"]]
        for i in 0..<min(8, y.count) {
            rows.append(["#\(run.data.validationRows[i] + 1)", fmt(y[i]), fmt(predicted.scalars[i]), fmt(predicted.scalars[i] - y[i])])
        }
        bench.sayTable(rows, leftAligned: [0])
    }

    private func showHistory() throws(DescentError) {
        guard let r = bench.currentRecord else { throw DescentError("no run yet: try `train`") }
        guard !r.epochHistory.isEmpty else { throw DescentError("run \(r.id) has not finished an epoch yet") }
        var rows = [["epoch", "update", "loss", "val loss", "val \(r.metricName)"]]
        // At most about 20 rows, from the epochs validated (a long run validates every few).
        let validated = r.epochHistory.filter(\.isValidated)
        let stride = max(1, validated.count / 20)
        for (k, e) in validated.enumerated() where k % stride == 0 || k == validated.count - 1 {
            rows.append(["\(e.epoch)", grouped(e.update), fmt(e.trainLoss), fmt(e.validationLoss), fmt(e.validationMetric)])
        }
        bench.sayTable(rows)
        if !r.markers.isEmpty {
            bench.say("changes: " + r.markers.map { "\($0.label) at update \(grouped($0.update))" }.joined(separator: ", "))
        }
    }

    /// `runs` without a store: this session's runs, or those named.
    func listSessionRuns(_ c: Command) throws(DescentError) {
        guard !bench.records.isEmpty else { bench.say("no runs yet: `train` starts one", .info); return }
        let listed = c.arguments.isEmpty ? bench.records : try bench.runRecords(referredToBy: c.arguments.map(\.value), in: "runs")
        let differs = Self.differences(listed)
        // The results first, so a narrow REPL that cuts the right of the table keeps them.
        let rows = [["run", "status", "epochs", "train loss", "val loss", "val", "optimizer", "batch", "data", "model",
                     "params", "time"] + (differs.isEmpty ? [] : ["also differs"])]
            + zip(listed, differs.isEmpty ? listed.map { _ in "" } : differs).map { r, d in
                Self.summaryRow(r) + (differs.isEmpty ? [] : [d])
            }
        bench.sayTable(rows, leftAligned: [1, 5, 6, 8, 9, 11, 12])
    }

    /// One row of `runs`: run, status, epochs, the final whole-training-set and validation
    /// losses, the validation metric, optimizer (with the lr it ended at when changed), batch,
    /// data, model, parameters, and the training time (a timing, in brackets).
    static func summaryRow(_ r: RunRecord) -> [String] {
        let metric = r.validationEvaluation?.headline.map { "\($0.name) \(fmt($0.value))" } ?? ""
        let changed = r.markers.contains { $0.label.hasPrefix("lr=") } ? " → lr \(fmt(r.learningRate))" : ""
        let time = r.seconds > 0 ? "[\(String(format: "%.2f", r.seconds)) s]" : ""
        return [r.label, r.status.rawValue, "\(r.epochs)",
                r.trainEvaluation.map { fmt($0.loss) } ?? "", r.validationEvaluation.map { fmt($0.loss) } ?? "", metric,
                r.optimizerName + changed, r.batchName, r.dataName, r.modelName, r.parameterCount.map(grouped) ?? "", time]
    }

    /// What else differs between the runs listed, beyond the table's columns: the seed, the
    /// loss, L2/L1, dropout, the schedule, the pace. One entry per run (`seed 7 · dropout 0.2`),
    /// or none when the runs agree on all of it.
    static func differences(_ runs: [RunRecord]) -> [String] {
        differences(runs.map { ($0.setup, $0.loss.rawValue) })
    }

    /// `differences` of set-ups (and the losses they trained with), as the run store keeps them.
    static func differences(_ setups: [(setup: Setup, loss: String)]) -> [String] {
        func facets(_ r: (setup: Setup, loss: String)) -> [(String, String)] {
            let s = r.setup
            return [("seed", "seed \(s.seed)"), ("loss", "loss \(r.loss)"),
                    ("regularize", s.regularizer.map { "regularize \($0.description)" } ?? "no penalty"),
                    ("dropout", s.dropout.map { "dropout \(fmt($0))" } ?? "no dropout"),
                    ("schedule", "schedule \(s.schedule.description)"),
                    ("pace", s.pace.map { $0 == .max ? "pace max" : "pace \(fmt($0.rate))" } ?? "pace default")]
        }
        guard setups.count > 1 else { return [] }
        let all = setups.map(facets)
        let varying = all[0].indices.filter { i in Set(all.map { $0[i].1 }).count > 1 }
        guard !varying.isEmpty else { return [] }
        return all.map { f in varying.map { f[$0].1 }.joined(separator: " · ") }
    }
}
