import Training
import Models

extension RunRecord {
    /// Takes in one update's step event (from the run's ring): the charts' points.
    public mutating func apply(step event: TrainingEvent) {
        lossHistory.append(event.loss)
        if event.w.isFinite, event.b.isFinite { path.append(.init(update: event.update, w: event.w, b: event.b)) }
        updates = event.update
        learningRate = event.learningRate
        seconds = event.seconds
    }

    /// Takes in one report from the run's report log, in the order the run made them: updates
    /// the record and returns what the learner is told. A pure function of the record and the
    /// event: no threads, no text.
    public mutating func apply(_ event: TrainingEvent) -> [Notice] {
        switch event.kind {
        case .step:
            apply(step: event)
            return []
        case .epoch:
            return apply(epoch: event)
        case .finished:
            updates = event.update
            return []
        case .changed:
            guard event.setting != .none else { return [] }
            let names: [TrainingEvent.Setting: String] = [.learningRate: "lr", .scheduledLearningRate: "lr",
                                                          .momentum: "momentum", .batchSize: "batch"]
            if let name = names[event.setting] {
                markers.append(Marker(update: event.update, label: "\(name)=\(fmt(event.newValue))"))
            }
            return [.changed(run: id, event.setting, old: event.oldValue, new: event.newValue, update: event.update)]
        case .paused:
            status = .paused
            return [.paused(run: id, update: event.update, epoch: event.epoch)]
        case .resumed:
            status = .training
            return [.resumed(run: id, update: event.update)]
        case .stopped:
            return [.stopped(run: id, update: event.update, epoch: event.epoch)]
        case .diverged:
            status = .diverged
            let restored = event.restoredUpdate >= 0
                ? (update: event.restoredUpdate, loss: event.restoredLoss,
                   learningRate: event.restoredLearningRate.isNaN ? nil : event.restoredLearningRate) : nil
            if let restored {
                cameBack = CameBack(update: restored.update, loss: restored.loss, caughtAt: event.update)
                markers.append(Marker(update: event.update, label: "diverged"))
                // The path goes on from the blow-up to the point that came back.
                if event.w.isFinite, event.b.isFinite { path.append(.init(update: event.update, w: event.w, b: event.b)) }
            }
            return [.diverged(run: id, Divergence(update: event.update, loss: event.loss, learningRate: event.learningRate,
                                                  restored: restored), then: .waitsPaused)]
        case .explained:
            return []   // the coordinator reads the explanation slot
        case .earlyStopped:
            bestEpoch = event.restoredEpoch
            if let update = epochHistory.first(where: { $0.epoch == event.restoredEpoch })?.update {
                markers.append(Marker(update: update, label: "best"))
            }
            return [.earlyStopped(run: id, bestEpoch: event.restoredEpoch, loss: event.validationLoss, atEpoch: event.epoch)]
        case .estimated:
            return [.estimated(run: id, seconds: event.estimatedSeconds, updatesPerSecond: Double(event.newValue))]
        case .undone:
            guard event.restoredUpdate >= 0 else { return [.undone(run: id, nil)] }
            markers.append(Marker(update: event.update, label: "undo"))
            return [.undone(run: id, Undone(update: event.update, backTo: event.restoredUpdate, setting: event.setting,
                                            oldValue: event.oldValue))]
        }
    }

    /// Takes in one epoch: adds it to the history and returns its line when it is due (every
    /// `reportEvery` epochs, and the plan's last).
    private mutating func apply(epoch e: TrainingEvent) -> [Notice] {
        let record = EpochRecord(epoch: e.epoch, update: e.update, trainLoss: e.loss,
                                 validationLoss: e.validationLoss, validationMetric: e.validationMetric,
                                 learningRate: e.learningRate, validated: e.validated)
        epochHistory.append(record)
        epochs = e.epoch
        guard reportsEpochs, e.epoch % reportEvery == 0 || e.epoch == plannedEpochs else { return [] }
        return [.epoch(run: id, record, planned: plannedEpochs, metricName: metricName)]
    }
}
