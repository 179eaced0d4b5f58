import TensorCore
import NeuralEngine

/// Control: the messages a front end sends (`controls`, or `control(_:)` on a run no thread
/// drives) and the reports that echo them.
extension TrainingRun {
    /// Applies a control message now, on the caller's thread. The driver calls it for each
    /// message it takes from `controls`; the run coordinator calls it directly on a run no
    /// thread drives (the thread contract above).
    public func control(_ message: ControlMessage) {
        switch message {
        case .pause:
            if state == .running { state = .paused; readHeads(); publishSnapshot(); report(.paused) }
        case .resume:
            if state == .paused { state = .running; pacing.restart(); report(.resumed) }
        case .stop:
            if state == .running || state == .paused { state = .stopped; readHeads(); publishSnapshot(); report(.stopped) }
        case .step(let n):
            if state == .running { state = .paused; report(.paused) }
            request.add(n)
        case .setLearningRate(let lr):
            change(.learningRate, from: trainer.learningRate) { trainer.learningRate = lr }
        case .setMomentum(let m):
            change(.momentum, from: trainer.optimizer.momentum ?? .nan) { trainer.optimizer.momentum = m }
        case .setBatchSize(let b):
            change(.batchSize, from: Float(trainer.batchSize ?? trainer.sampleCount)) { trainer.batchSize = b }
        case .setPace(let p):
            let old = pacing.set(p)
            reportChange(.pace, Float(old), Float(pacing.rate))
        case let .watch(parameter, element):
            request.watched = (parameter, element)
        case let .probeUnit(layer, unit):
            probes.unit = layer < 0 ? nil : (layer, unit)
            publishSnapshot()
        case .probeAttention(let sample):
            probes.attentionSample = sample
            publishSnapshot()
        case .undo:
            undo()
        case .evaluate:
            lastValidation = trainer.evaluate(x: epochValidation.x, y: epochValidation.y)
            publishSnapshot()
        }
    }

    /// A live change: the weights from before it are kept if they were sane (a divergence it
    /// causes goes back to them, not to weights trained at the new value), and as the way back
    /// of `undo`; then the change, echoed as a report.
    func change(_ setting: TrainingEvent.Setting, from old: Float, _ apply: () -> Void) {
        divergence.saveIfSane(trainer)
        undoPoint = UndoPoint(trainer, before: setting, oldValue: old)
        apply()
        let new: Float = switch setting {
        case .learningRate: trainer.learningRate
        case .momentum: trainer.optimizer.momentum ?? .nan
        default: Float(trainer.batchSize ?? trainer.sampleCount)
        }
        reportChange(setting, old, new)
    }

    /// Puts the run back as it was before its last change; reports what came back (nothing,
    /// `restoredUpdate` −1, when there was no change to take back).
    func undo() {
        var event = TrainingEvent(kind: .undone, update: trainer.updates, epoch: trainer.epochs, loss: .nan,
                                  learningRate: trainer.learningRate, seconds: clock.seconds)
        if let point = undoPoint {
            point.restore(into: trainer)
            undoPoint = nil
            lastValidation = trainer.evaluate(x: epochValidation.x, y: epochValidation.y)
            publishSnapshot()
            event.restoredUpdate = point.update
            event.setting = point.setting
            event.oldValue = point.oldValue
            event.learningRate = trainer.learningRate
        }
        reports.append(event)
    }

    func report(_ kind: TrainingEvent.Kind, loss: Float = .nan) {
        reports.append(TrainingEvent(kind: kind, update: trainer.updates, epoch: trainer.epochs, loss: loss,
                                     learningRate: trainer.learningRate, seconds: clock.seconds))
    }

    func reportChange(_ setting: TrainingEvent.Setting, _ old: Float, _ new: Float) {
        var event = TrainingEvent(kind: .changed, update: trainer.updates, epoch: trainer.epochs,
                                  loss: .nan, learningRate: trainer.learningRate,
                                  seconds: clock.seconds)
        event.setting = setting
        event.oldValue = old
        event.newValue = new
        reports.append(event)
    }
}
