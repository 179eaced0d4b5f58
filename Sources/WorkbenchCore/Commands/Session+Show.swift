import Foundation
import NeuralEngine
import Datasets
import CommandLanguage
import Models

extension Session {
    /// Why there is no model to look at: no run yet, or the set-up changed since the last one
    /// (its record stays in `runs`; its model is gone).
    func noLiveModel() -> DescentError {
        guard let last = records.last else { return DescentError("no run yet: try `train`") }
        return DescentError("the set-up changed after run \(last.id), so its model is gone: `train` makes a new run "
                            + "(`runs` lists the old runs' results)")
    }

    func showCommand(_ c: Command) throws(DescentError) {
        let view = c.keyword ?? "layers"
        try show(view, c)
        viewRequest = (view, viewRequest.serial + 1)
    }

    private func show(_ view: String, _ c: Command) throws(DescentError) {
        switch view {
        case "layers": try showLayers()
        case "weights": try showWeights(c.positional(1)?.text)
        case "grads": try showGrads()
        case "histograms": try showHistograms()
        case "metrics": try showMetrics()
        case "confusion": try showConfusion()
        case "data": try showData()
        case "history": try showHistory()
        case "boundary":
            guard data?.task.classCount != nil, data?.full.featureCount == 2 else {
                throw DescentError("show boundary needs 2-D classification data, e.g. `data spiral`")
            }
            say(frontEnd.screenNote ?? "the decision boundary is drawn in the screen's evaluation pane", .info)
        case "fit": try showFit()
        case "contour": try showContour()
        case "unit": try showUnit(c)
        case "attention": try showAttention(c)
        case "ladder": try showLadder()
        case "misclassified": try showMisclassified(c)
        case "serve": try showServe()
        case let other: throw DescentError("show: unknown view '\(other)'; expected layers, metrics, confusion, data, history, boundary or fit")
        }
    }

    /// The latest summary: the current run's model (its snapshot while a thread drives it),
    /// else the model the next run would start from.
    public func currentSummary() throws(DescentError) -> ModelSummary {
        if let run = runs.current {
            if run.isDriven, let snapshot = latestSnapshot { return snapshot.summary }
            if !run.isDriven { return ModelSummary(run.trainer.model) }
        } else if currentRun != nil, let snapshot = latestSnapshot {
            return snapshot.summary   // a record with no model of its own (cv's pooled results)
        }
        guard data != nil else { throw DescentError("no data yet: try `data spiral`") }
        return try previewSummary()
    }

    /// The current run's latest validation evaluation: its snapshot while it trains, its final
    /// one once it ended, else computed now.
    public func currentValidation() -> Evaluation? {
        guard let record = currentRun else { return nil }
        guard let run = runs.current else { return record.validationEvaluation }
        if run.isDriven { return latestSnapshot?.validation }
        if run.finalized { return record.validationEvaluation }
        return run.trainer.evaluate(x: run.data.validation.features, y: run.data.validation.targets)
    }

    private func showLayers() throws(DescentError) {
        say(try currentSummary().text, .table)
    }

    private func showMetrics() throws(DescentError) {
        guard let r = currentRun else { throw noLiveModel() }
        let validation = currentValidation()
        let run = runs.current
        let train = isBusy ? nil : (run == nil || run!.finalized ? r.trainEvaluation
                                    : run!.trainer.evaluate(x: run!.data.train.features, y: run!.data.train.targets))
        let names = LearningTask.allMetricNames   // the ones this run has are shown
        var rows = [["metric", "train", "validation"]]
        for name in names {
            let t = train?.metrics[name], v = validation?.metrics[name]
            if t == nil && v == nil { continue }
            rows.append([name, t.map(fmt) ?? "…", v.map(fmt) ?? "…"])
        }
        say("run \(r.id) after \(r.epochs) epochs, \(grouped(r.updates)) updates" + (isBusy ? " (training; train column when it ends)" : ""))
        sayTable(rows)
    }

    private func showConfusion() throws(DescentError) {
        guard currentRun != nil else { throw noLiveModel() }
        guard let evaluation = currentValidation() else { throw DescentError("no evaluation yet: wait for the first epoch") }
        guard let m = evaluation.confusion else {
            throw DescentError("show confusion needs classes; this data is regression: try `show metrics`")
        }
        let names = data?.full.classNames ?? []
        func name(_ c: Int) -> String { c < names.count ? names[c] : "\(c)" }
        say("confusion matrix (validation, \(m.total) samples): rows are the true class, columns the prediction")
        var rows = [["true \\ pred"] + (0..<m.classes).map { "pred \(name($0))" } + ["P", "R", "F1"]]
        for t in 0..<m.classes {
            rows.append([name(t)] + m.counts[t].map(String.init)
                        + [String(format: "%.2f", m.precision(t)), String(format: "%.2f", m.recall(t)),
                           String(format: "%.2f", m.f1(t))])
        }
        rows.append(["macro"] + Array(repeating: "", count: m.classes)
                    + [String(format: "%.2f", m.macroPrecision), String(format: "%.2f", m.macroRecall),
                       String(format: "%.2f", m.macroF1)])
        sayTable(rows)
        say("accuracy \(String(format: "%.3f", m.accuracy))")
    }

    private func showData() throws(DescentError) {
        guard let data else { throw DescentError("no data yet: try `data spiral`") }
        self.data?.selection = nil
        if data.full.kind != .table { return showSamples(of: data) }
        say(data.full.summary + " · \(data.train.count) train / \(data.validation.count) validation")
        let header = data.full.featureNames + [data.full.task.classCount == nil ? "target" : "class"]
        var rows = [["#"] + header]
        for r in 0..<min(8, data.full.count) {
            let features = (0..<data.full.featureCount).map { fmt(data.full.features.scalars[r * data.full.featureCount + $0]) }
            let target = data.full.targets.scalars[r]
            let label = data.full.task.classCount == nil ? fmt(target)
                : (Int(target) < data.full.classNames.count ? data.full.classNames[Int(target)] : "\(Int(target))")
            rows.append(["\(r)"] + features + [label])
        }
        sayTable(rows)
        if data.full.count > 8 { say("… \(data.full.count - 8) more rows (raw values; the model sees them standardised)") }
    }

    /// `show contour`: where the two-parameter model started, where it is, and where the
    /// minimum of its training loss lies; the screen draws the surface with the path.
    private func showContour() throws(DescentError) {
        guard let record = currentRun else { throw noLiveModel() }
        guard hasLossSurface, let architecture = record.architecture, let data,
              let start = record.path.points.first, let now = record.path.current,
              let surface = lossSurface(reusing: nil),
              let j = LossSurface.objective(architecture: architecture, loss: record.loss, regularizer: record.setup.regularizer,
                                            x: data.train.features, y: data.train.targets) else {
            throw DescentError("show contour needs a model with exactly two parameters (w and b), e.g. "
                               + "`data linear` then `model linear`, or one feature and `model logistic`")
        }
        func at(_ w: Float, _ b: Float) -> String { "w \(fmt(w)), b \(fmt(b)) (J \(fmt(j(Double(w), Double(b)))))" }
        say("J(w, b) of run \(record.id), its training loss over its two parameters:")
        say("  started at " + at(start.w, start.b) + "; after \(grouped(now.update)) updates at " + at(now.w, now.b))
        say("  minimum at w \(fmt(surface.minimum.w)), b \(fmt(surface.minimum.b)) (J \(fmt(surface.minimum.loss)))"
            + (surface.minimumIsExact ? ", exact (least squares)" : ", the lowest point of the window drawn"))
        if let note = frontEnd.screenNote { say(note, .info) }
    }

    private func showFit() throws(DescentError) {
        guard let data else { throw noLiveModel() }
        guard data.task.classCount == nil else {
            throw DescentError("show fit is for regression; for classes try `show confusion`")
        }
        guard let run = runs.current else { throw noLiveModel() }
        guard !isBusy else { throw DescentError("show fit: wait for the run to end (or `pause`)") }
        guard let predicted = try? run.trainer.predict(run.data.validation.features) else { return }
        let y = run.data.validationTargets
        let metrics = RegressionMetrics(predicted: predicted.scalars, truth: y)
        say("validation: MSE \(fmt(metrics.mse))  MAE \(fmt(metrics.mae))  R² \(fmt(metrics.r2))")
        var rows = [["#", "true", "predicted", "error"]]
        for i in 0..<min(8, y.count) {
            rows.append(["\(i)", fmt(y[i]), fmt(predicted.scalars[i]), fmt(predicted.scalars[i] - y[i])])
        }
        sayTable(rows)
    }

    private func showHistory() throws(DescentError) {
        guard let r = currentRun else { throw DescentError("no run yet: try `train`") }
        guard !r.epochHistory.isEmpty else { throw DescentError("run \(r.id) has not finished an epoch yet") }
        var rows = [["epoch", "update", "loss", "val loss", "val \(r.metricName)"]]
        let stride = max(1, r.epochHistory.count / 20)
        for (k, e) in r.epochHistory.enumerated() where k % stride == 0 || k == r.epochHistory.count - 1 {
            rows.append(["\(e.epoch)", grouped(e.update), fmt(e.trainLoss), fmt(e.validationLoss), fmt(e.validationMetric)])
        }
        sayTable(rows)
        if !r.markers.isEmpty {
            say("changes: " + r.markers.map { "\($0.label) at update \(grouped($0.update))" }.joined(separator: ", "))
        }
    }

    func runsCommand() {
        guard !records.isEmpty else { say("no runs yet: `train` starts one", .info); return }
        let rows = [["run", "status", "data", "model", "params", "optimizer", "batch", "epochs", "train loss", "val loss",
                     "val", "time"]]
            + records.map(Self.summaryRow)
        sayTable(rows, leftAligned: [1, 2, 3, 5, 10, 11])
    }

    /// One row of `runs`: run, status, data, model, parameters, optimizer (with the lr it ended
    /// at when changed), batch, epochs, the final whole-training-set and validation losses, the
    /// validation metric, and the training time (a timing, in brackets).
    static func summaryRow(_ r: RunRecord) -> [String] {
        let metric = r.validationEvaluation?.headline.map { "\($0.name) \(fmt($0.value))" } ?? ""
        let changed = r.markers.contains { $0.label.hasPrefix("lr=") } ? " → lr \(fmt(r.learningRate))" : ""
        let time = r.seconds > 0 ? "[\(String(format: "%.2f", r.seconds)) s]" : ""
        return ["\(r.id)", r.status.rawValue, r.dataName, r.modelName, r.parameterCount.map(grouped) ?? "",
                r.optimizerName + changed, r.batchName, "\(r.epochs)",
                r.trainEvaluation.map { fmt($0.loss) } ?? "", r.validationEvaluation.map { fmt($0.loss) } ?? "", metric, time]
    }
}
