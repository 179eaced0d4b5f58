import Foundation
import Training
import Models

extension Notice {
    /// What the learner reads: the notice as output lines. Every text a run's reports produce
    /// is written here.
    public var lines: [OutputLine] {
        switch self {
        case let .epoch(_, e, planned, metric):
            return [OutputLine(.progress, "\(RunRecord.epochProgress(e.epoch, of: planned))  loss \(fmt(e.trainLoss))"
                               + (e.isValidated ? "  val loss \(fmt(e.validationLoss))  val \(metric) \(fmt(e.validationMetric))" : ""))]
        case let .changed(_, setting, old, new, update):
            let change: String
            switch setting {
            case .learningRate: change = "lr \(fmt(old)) → \(fmt(new))"
            case .momentum: change = "momentum \(fmt(old)) → \(fmt(new))"
            case .batchSize: change = "batch \(Int(old)) → \(Int(new))"
            case .pace: change = "pace \(Self.pace(old)) → \(Self.pace(new))"
            case .scheduledLearningRate:
                return [OutputLine(.change, "lr \(fmt(old)) → \(fmt(new)) by the schedule (at update \(grouped(update)))")]
            case .none: return []
            }
            return [OutputLine(.change, "\(change) (applied at update \(grouped(update)))")]
        case let .paused(_, update, epoch):
            return [OutputLine(.change, "paused at update \(grouped(update)) (epoch \(epoch)): `step` one update, `resume`, or `stop`")]
        case let .resumed(_, update):
            return [OutputLine(.change, "resumed at update \(grouped(update))")]
        case let .stopped(_, update, epoch):
            return [OutputLine(.change, "stopped at update \(grouped(update)) (epoch \(epoch))")]
        case let .diverged(run, divergence, next):
            return [OutputLine(.warning, divergence.report(run: run, then: next))]
        case let .explained(_, e, target):
            return Self.explanation(e, target: target)
        case let .estimated(run, seconds, speed):
            let time = seconds >= 90 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f s", seconds)
            return [OutputLine(.info, "run \(run) estimated [\(time), \(rate(speed)) updates/s"
                               + (seconds >= 60 ? ": minutes; `stop` ends it early, fewer epochs or a smaller model end sooner" : "") + "]")]
        case .undone(let run, nil):
            return [OutputLine(.info, "undo: run \(run) has no change to take back (`undo` takes back the last `set lr|momentum|batch`)")]
        case let .undone(run, undone?):
            let names: [TrainingEvent.Setting: String] = [.learningRate: "lr", .momentum: "momentum", .batchSize: "batch"]
            let name = names[undone.setting] ?? "setting"
            let value = undone.setting == .batchSize ? "\(Int(undone.oldValue))" : fmt(undone.oldValue)
            return [OutputLine(.change, "undo: run \(run) is back as it was at update \(grouped(undone.backTo)), before its last change:"
                               + " its weights, its optimizer's state and \(name) \(value)")]
        case .ended(let r), .stoppedByHand(let r):
            return [OutputLine(.info, Self.summary(r))]
        case let .earlyStopped(_, best, loss, at):
            return [OutputLine(.info, at > best
                ? "early stopping: the validation loss has not improved since epoch \(best) (\(fmt(loss))); its weights are back"
                : "early stopping: epoch \(best) had the best validation loss (\(fmt(loss)))")]
        case let .dropped(_, count):
            return [OutputLine(.warning, "note: the display missed \(grouped(count)) step reports (the ring was full); results are unaffected")]
        case let .crossValidationStarted(name, k, sizes, stratified, model, epochs):
            return [OutputLine(.info, "cv k=\(k) on \(name): \(k) \(stratified ? "stratified " : "")folds of \(sizes) samples;"
                               + " each trains a fresh \(model) (the same initial weights) for \(epochs) epochs"
                               + " and validates on its own fold")]
        case let .foldStarted(run, fold, k, train, validation):
            return [OutputLine(.info, "fold \(fold)/\(k) (run \(run)): train on \(train), validate on \(validation)")]
        case let .crossValidationStopped(fold, k, finished):
            return [OutputLine(.warning, "cv stopped in fold \(fold)/\(k): \(finished) fold\(finished == 1 ? "" : "s") finished")]
        case let .crossValidationTable(name, k, rows):
            return [OutputLine(.result, "cv k=\(k) on \(name): validation metrics of each fold, then mean ± std over the folds")]
                + table(rows).map { OutputLine(.table, $0) }
        case let .crossValidationSummary(run, k, metric, mean, deviation, samples, pooled):
            return [OutputLine(.info, "cv: val \(metric) \(fmt(mean)) ± \(fmt(deviation)) over \(k) folds · run \(run) pools the"
                               + " out-of-fold predictions of all \(samples) samples (val \(metric) \(fmt(pooled)));"
                               + " `show confusion` and `expect val.\(metric)` read it")]
        case .failed(let message):
            return [OutputLine(.error, message)]
        case let .raceStarted(ids, optimizers, epochs, model):
            return [OutputLine(.info, "race of \(model), \(epochs) epochs each, from the same initial weights on the same batches"
                               + " (runs \(ids.first ?? 0)–\(ids.last ?? 0)): " + optimizers.joined(separator: " · "))]
        case .raceEnded(let racers):
            return [OutputLine(.result, "race over: each racer's final figures")] + Self.comparison(racers)
        case .compared(let runs):
            return [OutputLine(.result, "the loss chart overlays runs " + runs.map(\.label).joined(separator: ", "))]
                + Self.comparison(runs)
        }
    }

    private static func pace(_ x: Float) -> String { x == 0 ? "max" : "\(fmt(x))/s" }

    /// One row per run: its optimizer and its final validation and training figures, the
    /// validation first (a narrow REPL cuts the right-hand columns).
    static func comparison(_ runs: [RunRecord]) -> [OutputLine] {
        let metric = runs.first?.metricName ?? "acc"
        let rows = [["run", "optimizer", "val \(metric)", "val loss", "train loss", "epochs", "status"]] + runs.map { r in
            [r.label, r.optimizerName, r.validationEvaluation?.metrics[metric].map(fmt) ?? "", fmt(r.validationEvaluation?.loss ?? .nan),
             fmt(r.trainEvaluation?.loss ?? .nan), "\(r.epochs)", r.status.rawValue]
        }
        return table(rows, leftAligned: [1, 6]).map { OutputLine(.table, $0) }
    }

    /// `run 3 finished: 50 epochs, 500 updates · whole training set: loss 0.03 · validation: …`
    static func summary(_ r: RunRecord) -> String {
        let metric = r.validationEvaluation?.headline.map { ", \($0.name) \(fmt($0.value))" } ?? ""
        let speed = r.seconds > 0 ? "  [\(String(format: "%.2f", r.seconds)) s, \(rate(Double(r.updates - (r.loadedUpdates ?? 0)) / r.seconds)) updates/s]" : ""
        return "run \(r.id) \(r.status.rawValue): \(r.epochs) epochs, \(grouped(r.updates)) updates"
            + (r.trainEvaluated.map { " · training set (\(grouped($0)) of its samples, spread over it)" } ?? " · whole training set")
            + ": loss \(fmt(r.trainEvaluation?.loss ?? .nan))"
            + " · validation" + (r.validationEvaluated.map { " (\(grouped($0)) of its samples, spread over it)" } ?? "")
            + ": loss \(fmt(r.validationEvaluation?.loss ?? .nan))\(metric)\(speed)"
    }

    /// How the watched scalar moved in the last update, with the optimizer's own terms and rule.
    static func explanation(_ e: StepExplanation, target: String) -> [OutputLine] {
        // Each update sees another batch: its loss can fall while the next batch's (the chart)
        // is higher. The whole training set's loss says which way the model really went.
        let losses = "(this batch's loss \(fmt(e.lossBefore)) → \(fmt(e.lossAfter))"
            + (e.trainingLoss.isNaN ? ")" : "; whole training set \(fmt(e.trainingLoss)))")
        guard !e.optimizerState.isEmpty else {
            // Plain gradient descent: the update is the rule itself, with its numbers.
            return [OutputLine(.result, "update \(grouped(e.updates)) · \(target): \(fmt(e.before)) − \(fmt(e.learningRate))"
                               + " × \(fmt(e.gradient)) = \(fmt(e.after))  \(losses)")]
        }
        let state = e.optimizerState.map { "\($0.name) = \(fmt($0.value))" }
        return [OutputLine(.result, "update \(grouped(e.updates)) · \(target): \(fmt(e.before)) → \(fmt(e.after))"
                           + " (Δ \(fmt(e.after - e.before)))  \(losses)"),
                OutputLine(.result, "  gradient g = \(fmt(e.gradient)) · η = \(fmt(e.learningRate)) · "
                           + state.joined(separator: " · ") + " · " + e.updateRule)]
    }
}

extension Divergence {
    /// What happened, what came back, and a learning rate known to be no larger than one that
    /// worked (never a promise that it converges).
    func report(run: Int, then next: Next) -> String {
        let what = "diverged at update \(grouped(update)) with lr \(fmt(learningRate)): the loss became \(fmt(loss))."
        guard let restored else {
            return what + " No weights with a sane loss were kept (at most twice the untrained model's), so run \(run)"
                + " is lost and ends here: choose a smaller rate with `optimizer … lr=…` and `train` a new run."
        }
        guard let worked = restored.learningRate else {
            // It diverged before any rate trained it sanely: only a smaller rate can be said.
            let back = " The starting weights are back (loss \(fmt(restored.loss))): no rate has trained this run sanely yet."
            let smaller = fmt(learningRate / 10)
            return what + back + (next == .ends ? " The run ends here; try a smaller rate, e.g. lr=\(smaller)."
                : " Paused: try a smaller rate, e.g. `set lr \(smaller)`, then " + (next == .waitsForStep ? "`step` or `train`." : "`resume`."))
        }
        let back = " The weights of update \(grouped(restored.update)) are back (loss \(fmt(restored.loss)),"
            + " trained at lr \(fmt(worked)))."
        if next == .ends {
            return what + back + " The run ends here; "
                + (learningRate > worked ? "lr \(fmt(worked)) still trained sanely until update \(grouped(restored.update))."
                                         : "it diverged at a rate that had worked: try one below \(fmt(worked)), e.g. lr=\(fmt(learningRate / 10)).")
        }
        return what + back + " Paused: "
            + (learningRate > worked ? "`set lr \(fmt(worked))` goes back to the rate that worked"
                                     : "it diverged at a rate that had worked: try a smaller one, e.g. `set lr \(fmt(learningRate / 10))`")
            + (next == .waitsForStep ? ", then `step` or `train`." : ", then `resume`.")
    }
}
