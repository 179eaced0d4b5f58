import Foundation
import NeuralEngine
import CommandLanguage
import Models

extension InspectCommands {
    /// `expect METRIC OP NUMBER` or `expect METRIC decreasing|increasing`, on the current run
    /// (or, after a set-up change, the latest). A run made by `step` answers with its weights now.
    ///
    /// METRIC is `train.X` or `val.X` with X one of loss, acc, precision, recall, f1, mse, mae,
    /// r2; a bare `loss` means `train.loss` and a bare `acc`/`f1`/`r2` … means the validation
    /// value. `decreasing` holds when the last epoch's value is below the first's and the mean of
    /// the second half of the epochs is below the mean of the first half (noise-tolerant).
    func expect(_ c: Command) throws(DescentError) {
        guard let metric = c.positional(0)?.text else { throw DescentError("expect: expected a metric like val.acc") }
        let run = try expectedRun(c.option("run"), metric: metric)
        if runs.isBusy { throw DescentError("expect \(metric): run \(run.id) is still training") }
        let (split, name) = Self.resolveMetric(metric)
        let text = c.description.replacingOccurrences(of: "expect ", with: "")
        if let trend = c.keyword(Trend.self, at: 1) {
            // The validation figures of the epochs validated (a long run validates every few).
            let epochs = split == "val" ? run.epochHistory.filter(\.isValidated) : run.epochHistory
            let series = epochs.map { e -> Float in
                switch (split, name) {
                case ("train", "loss"): return e.trainLoss
                case ("val", "loss"): return e.validationLoss
                case ("val", run.metricName): return e.validationMetric
                default: return .nan
                }
            }
            guard series.count >= 2, series.allSatisfy({ !$0.isNaN }) else {
                throw DescentError("expect \(metric) \(trend.rawValue): needs at least 2 epochs of \(split).\(name) (kept per epoch: train.loss, val.loss, val.\(run.metricName))")
            }
            let half = series.count / 2
            let firstMean = series[..<half].reduce(0, +) / Float(half)
            let secondMean = series[half...].reduce(0, +) / Float(series.count - half)
            let ok = trend == .decreasing ? (series.last! < series.first! && secondMean < firstMean)
                                          : (series.last! > series.first! && secondMean > firstMean)
            bench.noteCheck(c, passed: ok, seen: "\(fmt(series.first!)) → \(fmt(series.last!))")
            guard ok else {
                throw DescentError("expect failed: \(text): went \(fmt(series.first!)) → \(fmt(series.last!))")
            }
            bench.say("✓ \(text) (\(fmt(series.first!)) → \(fmt(series.last!)))", .info)
            return
        }
        guard let comparison = c.keyword(Comparison.self, at: 1), let bound = c.positional(2)?.number else {
            throw DescentError("expect: expected `METRIC OP NUMBER`, e.g. `expect val.acc > 0.9`")
        }
        // A circuit's figures: head scores now, or the last ablation's.
        if let value = try circuitMetric(metric) {
            let ok = comparison.holds(value, bound)
            bench.noteCheck(c, passed: ok, seen: "\(metric) = \(fmt(value))")
            guard ok else { throw DescentError("expect failed: \(text): \(metric) is \(fmt(value))") }
            bench.say("✓ \(text) (\(metric) = \(fmt(value)))", .info)
            return
        }
        let evaluation: Evaluation?
        if let model = modelNow, model.id == run.id {
            let part = split == "train" ? model.data.train : model.data.validation
            evaluation = model.trainer.evaluate(x: part.features, y: part.targets)
        } else {
            evaluation = split == "train" ? run.trainEvaluation : run.validationEvaluation
        }
        guard let value = evaluation?.metrics[name] else {
            let available = (evaluation?.metrics.keys.sorted() ?? []).map { "\(split).\($0)" }
            throw DescentError("expect: run \(run.id) has no \(split).\(name)"
                               + (available.isEmpty ? "" : "; it has \(available.joined(separator: ", "))"))
        }
        let ok = comparison.holds(value, bound)
        bench.noteCheck(c, passed: ok, seen: "\(split).\(name) = \(fmt(value))")
        guard ok else { throw DescentError("expect failed: \(text): \(split).\(name) is \(fmt(value))") }
        bench.say("✓ \(text) (\(split).\(name) = \(fmt(value)))", .info)
    }

    /// The run `run=` names (a number, or the latest racer with that optimizer), else the
    /// current run, else the latest.
    private func expectedRun(_ selector: Value?, metric: String) throws(DescentError) -> RunRecord {
        if let selector, selector.integer != nil || !(selector.text.map { OptimizerKind(rawValue: $0) != nil } ?? false) {
            return try bench.runRecord(referredToBy: selector, in: "expect \(metric)")
        }
        if let optimizer = selector?.text {
            guard let racer = bench.records.last(where: { $0.role == .racer && $0.setup.optimizer.kind.rawValue == optimizer }) else {
                throw DescentError("expect \(metric): no \(optimizer) racer in a race yet (`compare \(optimizer) …` runs one)")
            }
            return racer
        }
        guard let run = bench.currentRecord ?? bench.records.last else { throw DescentError("expect \(metric): no run yet") }
        return run
    }

    /// `val.acc` → ("val", "acc"); `loss` → ("train", "loss"); `acc` → ("val", "acc").
    static func resolveMetric(_ text: String) -> (split: String, name: String) {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2 {
            let split = parts[0] == "validation" ? "val" : parts[0]
            return (split, parts[1] == "accuracy" ? "acc" : parts[1])
        }
        let name = text == "accuracy" ? "acc" : text
        return (name == "loss" ? "train" : "val", name)
    }
}
