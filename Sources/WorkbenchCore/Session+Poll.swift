import Foundation
import NeuralEngine
import Training

extension Session {
    /// Collects what the active run reported since the last call: fills the run record
    /// (loss history, epochs, markers), prints changes and epoch progress, and finishes the run
    /// once its thread has returned. Front ends call this often (a screen on every frame).
    @discardableResult
    public func poll() -> Bool {
        guard let a = active else { return false }
        let i = a.recordIndex
        var happened = false
        _ = a.run.events.drain { event in
            happened = true
            handle(event, a)
        }
        // Epoch lines come from the epoch log, which never drops: output stays reproducible.
        let log = a.run.epochLog
        while a.printedEpochs < log.count {
            let e = log[a.printedEpochs]
            a.printedEpochs += 1
            happened = true
            runs[i].epochHistory.append(.init(epoch: e.epoch, update: e.update, trainLoss: e.loss,
                                              validationLoss: e.validationLoss,
                                              validationMetric: e.validationMetric))
            runs[i].epochs = e.epoch
            let planned = runs[i].plannedEpochs
            if e.epoch % a.printEvery == 0 || e.epoch == planned {
                say("\(RunRecord.epochProgress(e.epoch, of: planned))  loss \(fmt(e.loss))  val loss \(fmt(e.validationLoss))"
                    + "  val \(runs[i].metricName) \(fmt(e.validationMetric))", .progress)
            }
        }
        runs[i].droppedEvents = a.run.events.dropped
        if let runner = a.runner, runner.isFinished, !a.finalized {
            runner.join()
            _ = a.run.events.drain { handle($0, a) }
            finalize(a)
            happened = true
        }
        if advanceCrossValidation() { happened = true }
        return happened
    }

    private func handle(_ event: TrainingEvent, _ a: ActiveRun) {
        let i = a.recordIndex
        switch event.kind {
        case .step:
            runs[i].lossHistory.append(event.loss)
            runs[i].updates = event.update
            runs[i].learningRate = event.learningRate
            runs[i].seconds = event.seconds
        case .epoch, .finished:
            runs[i].updates = event.update
        case .changed:
            let (name, text): (String, String)
            switch event.setting {
            case .learningRate: (name, text) = ("lr", "\(fmt(event.oldValue)) → \(fmt(event.newValue))")
            case .momentum: (name, text) = ("momentum", "\(fmt(event.oldValue)) → \(fmt(event.newValue))")
            case .batchSize: (name, text) = ("batch", "\(Int(event.oldValue)) → \(Int(event.newValue))")
            case .pace:
                func p(_ x: Float) -> String { x == 0 ? "max" : "\(fmt(x))/s" }
                (name, text) = ("pace", "\(p(event.oldValue)) → \(p(event.newValue))")
            case .none: return
            }
            if event.setting != .pace {
                runs[i].markers.append(.init(update: event.update, label: "\(name)=\(fmt(event.newValue))"))
            }
            say("\(name) \(text) (applied at update \(grouped(event.update)))", .change)
        case .paused:
            runs[i].status = .paused
            say("paused at update \(grouped(event.update)) (epoch \(event.epoch)): `step` one update, `resume`, or `stop`", .change)
        case .resumed:
            runs[i].status = .training
            say("resumed at update \(grouped(event.update))", .change)
        case .stopped:
            say("stopped at update \(grouped(event.update)) (epoch \(event.epoch))", .change)
        case .diverged:
            runs[i].status = .diverged
            let smaller = fmt(event.learningRate / 10)
            let what = "diverged at update \(grouped(event.update)) with lr \(fmt(event.learningRate)): the loss became "
                + "\(fmt(event.loss)). The last finite weights are restored."
            if a.scripted {
                // Nobody is there to resume: end the run and say how to fix the script.
                say(what + " The run ends here; a smaller learning rate (e.g. lr=\(smaller)) should converge.", .warning)
                _ = a.run.controls.push(.stop)
            } else {
                say(what + " Paused: try `set lr \(smaller)`, then `resume`.", .warning)
            }
        case .explained:
            if let e = a.run.explanations.latest() { explain(e) }
        }
    }

    private func finalize(_ a: ActiveRun) {
        a.finalized = true
        let i = a.recordIndex
        let t = a.trainer
        guard let data else { return }
        runs[i].trainEvaluation = t.evaluate(x: data.train.features, y: data.train.targets)
        let validation = t.evaluate(x: data.validation.features, y: data.validation.targets)
        runs[i].validationEvaluation = validation
        runs[i].updates = t.updates
        runs[i].epochs = t.epochs
        switch a.run.state {
        case .finished: runs[i].status = .finished
        case .stopped where runs[i].status != .diverged: runs[i].status = .stopped
        default: break
        }
        let r = runs[i]
        let metric = validation.headline.map { ", \($0.name) \(fmt($0.value))" } ?? ""
        let speed = r.seconds > 0 ? "  [\(String(format: "%.2f", r.seconds)) s, \(rate(Double(r.updates) / r.seconds)) updates/s]" : ""
        say("run \(r.id) \(r.status.rawValue): \(r.epochs) epochs, \(grouped(r.updates)) updates"
            + " · whole training set: loss \(fmt(r.trainEvaluation!.loss)) · validation: loss \(fmt(validation.loss))"
            + "\(metric)\(speed)", .info)
        if r.droppedEvents > 0 {
            say("note: the display missed \(grouped(r.droppedEvents)) step reports (the ring was full); results are unaffected", .warning)
        }
    }

    /// Prints how the watched scalar moved in the last update.
    func explain(_ e: StepExplanation) {
        let target = watchTarget?.description ?? "w"
        let delta = e.after - e.before
        let losses = "(batch loss \(fmt(e.lossBefore)) → \(fmt(e.lossAfter)))"
        switch e.optimizerName {
        case "sgd":
            say("update \(grouped(e.updates)) · \(target): \(fmt(e.before)) − \(fmt(e.learningRate)) × \(fmt(e.gradient))"
                + " = \(fmt(e.after))  \(losses)")
        default:
            let state = e.optimizerState.sorted { $0.key < $1.key }.map { "\($0.key) = \(fmt($0.value))" }
            say("update \(grouped(e.updates)) · \(target): \(fmt(e.before)) → \(fmt(e.after)) (Δ \(fmt(delta)))  \(losses)")
            say("  gradient g = \(fmt(e.gradient)) · η = \(fmt(e.learningRate)) · " + state.joined(separator: " · ")
                + " · " + Self.updateRule(e.optimizerName))
        }
    }

    static func updateRule(_ optimizer: String) -> String {
        switch optimizer {
        case "momentum": return "v ← μv + g, w ← w − ηv"
        case "nesterov": return "v ← μv + g, w ← w − η(g + μv)"
        case "rmsprop": return "s ← ρs + (1−ρ)g², w ← w − ηg/(√s + ε)"
        case "adagrad": return "s ← s + g², w ← w − ηg/(√s + ε)"
        case "adam": return "m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η m̂/(√v̂ + ε)"
        case "adamw": return "Adam, then w ← w − ηλw"
        default: return "w ← w − ηg"
        }
    }
}
