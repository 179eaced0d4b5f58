import Foundation
import TensorCore
import NeuralEngine
import EventRing

/// One training run: a `Trainer` plus the two rings and the snapshot slots that connect it to
/// a front end.
///
/// Thread contract: while a `RunDriverPool` drives the run, only its driver thread calls
/// `advance()` and touches the trainer, model and optimizer; the front end only pushes to
/// `controls`, pops `events` and reads the slots. Before the driver starts and after it has
/// finished (`RunHandle.join()`), one thread may use everything, which is how `ManualRunner`
/// and the tests step a run synchronously.
public final class TrainingRun: @unchecked Sendable {
    public enum State: Sendable, Equatable { case running, paused, stopped, finished }

    /// What the driver should do after one `advance()`.
    public enum Progress: Sendable, Equatable {
        case again
        /// Paused, waiting for the pace, or waiting for the thread budget: sleep about this
        /// long, then advance again.
        case wait(Double)
        case done
    }

    public let trainer: Trainer
    public let plannedEpochs: Int
    public let events: SPSCRing<TrainingEvent>
    public let controls: SPSCRing<ControlMessage>
    public let snapshots = SnapshotSlot<RunSnapshot>()
    public let explanations = SnapshotSlot<StepExplanation>()
    /// Every epoch's `.epoch` event, none ever dropped: what reproducible output is printed from.
    public let epochLog: AppendLog<TrainingEvent>
    /// Updates between two weight checkpoints.
    public let checkpointInterval: Int
    /// Seconds between two snapshots while training (they are for display only).
    public let snapshotPeriod: Double
    /// Hands out threads beyond the run's own; shared by every run.
    public let budget: ThreadBudget

    public private(set) var state: State {
        didSet { stateChanged(from: oldValue) }
    }
    public private(set) var lastValidation: Evaluation?
    private let validationX: Tensor
    private let validationY: Tensor
    /// Inputs the model is evaluated on for each snapshot (e.g. a grid for a decision boundary).
    public let probe: Tensor?
    private let clock: @Sendable () -> Double
    /// When the run started, moved later by every pause: `clock() − startTime` counts only the
    /// time spent training.
    private var startTime: Double
    private var pausedSince: Double?
    private var pace: Double
    private var nextUpdateTime: Double = 0
    private var pendingSteps = 0
    private var watched = (parameter: 0, element: 0)
    /// The unit snapshots draw over the probe (`show unit`), if any.
    private var probeUnit: (layer: Int, unit: Int)?
    /// The validation sample whose attention maps each snapshot carries (models with attention).
    private var attentionSample = 0
    /// Samples written at loss milestones (sequence models); set before the run starts.
    public var ladder: LossLadder?
    private var epochLossSum: Double = 0
    private var epochLossCount = 0
    private var startEpochs: Int
    private var lastSnapshotTime = -Double.infinity
    /// When false, no step events are pushed (the epoch log is still kept): how the benchmark
    /// measures what reporting costs.
    public var reportsEvents = true
    private var lastClock: Double = 0
    private let token: Int
    /// How the current update computes (nil while the run is not computing), and the model's
    /// sizes for the batch they were computed for (recomputed only when `set batch` changes
    /// it: no allocation per update).
    public private(set) var threadPlan: ThreadBudget.Plan?
    private var sizes = (batch: -1, product: 0, largestTensor: 0)
    private var checkpoint: Checkpoint
    /// Early stopping: the epochs the validation loss may go without improving (nil: off).
    public let patience: Int?
    /// Where each epoch's weights are kept for `rewind` (shared by the runs of one model).
    public let epochCheckpoints: EpochCheckpoints?
    /// The best validation loss so far, its epoch, and its weights (kept only with `patience`).
    private var best = (loss: Float.infinity, epoch: 0, weights: [Tensor]())
    /// Epochs since the validation loss last improved, for a plateau schedule.
    private var plateauEpochs = 0
    private var plateauBest = Float.infinity
    /// The rate the schedule gave the last update, to see a step schedule's steps.
    private var lastScheduledRate: Float?
    /// ‖Δw‖/‖w‖ per parameter in the last measured update (NaN before one), and the copy of the
    /// weights from before it: one update after each snapshot is measured, so the cost is one
    /// copy per snapshot, not per update.
    private var updateRatios: [Float] = []
    private var weightsBefore: [Tensor] = []
    private var measureNextUpdate = true
    /// The model has exactly two trainable scalars: step events carry them (the contour's path).
    private let isTwoParameter: Bool

    /// A run of `epochs` more epochs on `trainer`, evaluated on the validation tensors after
    /// each epoch. `paused` runs wait for `resume` or `step`; `pace` is updates per second
    /// (0 = as fast as possible).
    public init(trainer: Trainer, epochs: Int, validationX: Tensor, validationY: Tensor,
                paused: Bool = false, pace: Double = 0, probe: Tensor? = nil, patience: Int? = nil,
                epochCheckpoints: EpochCheckpoints? = nil, eventCapacity: Int = 1 << 14,
                checkpointInterval: Int = 64, snapshotPeriod: Double = 0.05, budget: ThreadBudget = .process,
                clock: @escaping @Sendable () -> Double = TrainingRun.monotonicSeconds) {
        self.trainer = trainer
        self.plannedEpochs = epochs
        self.validationX = validationX
        self.validationY = validationY
        self.probe = probe
        self.patience = patience.map { max(1, $0) }
        self.epochCheckpoints = epochCheckpoints
        self.events = SPSCRing(capacity: eventCapacity)
        self.controls = SPSCRing(capacity: 256)
        self.epochLog = AppendLog(capacity: epochs + 1024)
        self.checkpointInterval = max(1, checkpointInterval)
        self.snapshotPeriod = snapshotPeriod
        self.budget = budget
        self.token = budget.makeToken()
        self.state = paused ? .paused : .running
        self.pace = pace
        self.clock = clock
        self.startTime = clock()
        self.startEpochs = trainer.epochs
        self.checkpoint = Checkpoint(trainer)
        self.isTwoParameter = trainer.model.parameterCount == 2 && trainer.model.parameters.count == 2
        trainer.plannedUpdates = max(1, epochs * trainer.updatesPerEpoch)
        if paused { pausedSince = startTime } else { budget.enter() }
    }

    deinit {
        if state == .running { budget.leave(token) }
    }

    /// Seconds from a monotonic clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Epochs completed in this run.
    public var epochsDone: Int { trainer.epochs - startEpochs }

    /// True when the run waits for a control message: paused with no steps to make.
    public var isIdle: Bool { state == .paused && pendingSteps == 0 }

    // MARK: - Driving

    /// Applies pending control messages, then performs at most one update. The background
    /// driver calls this in a loop; tests call it directly.
    public func advance() -> Progress {
        applyControls()
        switch state {
        case .stopped, .finished:
            return .done
        case .paused where pendingSteps == 0:
            return .wait(0.002)
        default:
            break
        }
        var now = 0.0
        if pace > 0, pendingSteps == 0 {
            now = clock()
            if now < nextUpdateTime { return .wait(min(nextUpdateTime - now, 0.01)) }
        }
        // Steps made by hand compute too: the budget must count them.
        let stepping = state != .running
        if stepping { budget.enter() }
        defer { if stepping { budget.leave(token) } }
        guard let plan = budget.plan(token, wanted: wantedPlan()) else { return .wait(0.0005) }
        threadPlan = plan
        if pace > 0, pendingSteps == 0 { nextUpdateTime = max(nextUpdateTime, now - 1 / pace) + 1 / pace }
        WorkSplit.allowing(plan == .split) { performUpdate() }
        if stepping { threadPlan = nil }
        return (state == .finished || state == .stopped) ? .done : .again
    }

    /// Two threads for a model with large products or large parameter tensors at full pace,
    /// never both at once: OpenBLAS's second thread for products of ≥ 2²⁴ multiply-adds
    /// (`BLAS.threads(forProduct:)`), otherwise Adam's split for tensors of ≥ 2¹⁶ values
    /// (`WorkSplit.threads(forLargestTensor:besideBLAS:)`). One when paced: idle worker threads
    /// poll for a while after each call, so a slow-paced run would keep a second core busy for
    /// nothing. Decided from the model, never from timing; the budget then grants it only to a
    /// run computing alone.
    private func wantedPlan() -> ThreadBudget.Plan {
        guard pace == 0 else { return .one }
        let batch = trainer.batchSize ?? trainer.sampleCount
        if sizes.batch != batch {
            let largest = trainer.model.parameters.reduce(0) { max($0, $1.value.count) }
            sizes = (batch, trainer.model.largestProduct(batch: batch), largest)
        }
        if BLAS.threads(forProduct: sizes.product) >= 2 { return .blas }
        if WorkSplit.threads(forLargestTensor: sizes.largestTensor, besideBLAS: 1) >= 2 { return .split }
        return .one
    }

    private func stateChanged(from old: State) {
        guard state != old else { return }
        if old == .running {
            budget.leave(token)
            threadPlan = nil
            pausedSince = clock()
        }
        if state == .running {
            budget.enter()
            if let since = pausedSince { startTime += clock() - since }
            pausedSince = nil
        }
    }

    /// Seconds spent training so far (paused time not counted).
    private func trainingSeconds(_ now: Double) -> Double { (pausedSince ?? now) - startTime }

    private func performUpdate() {
        let explaining = pendingSteps == 1
        let parameters = trainer.model.parameters
        let watchedParameter = watched.parameter < parameters.count ? parameters[watched.parameter] : nil
        let element = watched.element
        let before = explaining ? watchedParameter.flatMap { element < $0.value.count ? $0.value.scalars[element] : nil } : nil

        let measuring = measureNextUpdate
        if measuring {
            if weightsBefore.count != parameters.count { weightsBefore = parameters.map(\.value) }
            for (i, p) in parameters.enumerated() { weightsBefore[i].assign(p.value) }
        }
        let result = trainer.trainStep()
        if measuring { measureUpdateRatios(parameters) }
        if Self.hasDiverged(result, reference: trainer.firstLoss ?? .infinity) {
            diverge(result)
            return
        }
        checkpoint.observe(result.loss, of: trainer)
        ladder?.observe(result.loss, update: trainer.updates, model: trainer.model)
        epochLossSum += Double(result.loss)
        epochLossCount += 1
        // The clock is read every 16th update (and at every epoch end): a step event's time is
        // for display, and reading the clock each update cost as much as the report itself.
        if trainer.updates & 15 == 0 || result.endedEpoch || pace > 0 { lastClock = clock() }
        let now = lastClock
        if reportsEvents {
            var event = TrainingEvent(kind: .step, update: trainer.updates, epoch: trainer.epochs,
                                      loss: result.loss, learningRate: result.learningRate,
                                      seconds: trainingSeconds(now))
            event.gradientNorm = result.gradientNorm
            if isTwoParameter {
                event.w = parameters[0].value.scalars[0]
                event.b = parameters[1].value.scalars[0]
            }
            _ = events.push(event)
        }

        if trainer.updates % checkpointInterval == 0 { checkpoint.saveIfSane(trainer) }
        noteScheduleStep(result.learningRate)
        if result.endedEpoch { finishEpoch(result) }
        if now - lastSnapshotTime >= snapshotPeriod { publishSnapshot(at: now) }

        if pendingSteps > 0 {
            pendingSteps -= 1
            if pendingSteps == 0 {
                // A learner stepping by hand sees the evaluation of exactly these weights.
                lastValidation = trainer.evaluate(x: validationX, y: validationY)
                publishSnapshot()
            }
            if explaining, let p = watchedParameter, let before {
                let state = trainer.optimizer.terms(parameter: watched.parameter, element: element,
                                                    gradient: p.gradient.scalars[element], before: before)
                var explanation = StepExplanation(
                    updates: trainer.updates, before: before, gradient: p.gradient.scalars[element],
                    learningRate: result.learningRate, after: p.value.scalars[element],
                    lossBefore: result.loss, lossAfter: trainer.lastBatchLoss(),
                    optimizerState: state.map { StepExplanation.Term(name: $0.name, value: $0.value) },
                    updateRule: type(of: trainer.optimizer).updateRule)
                if trainer.sampleCount <= StepExplanation.wholeSetLimit {
                    explanation.trainingLoss = trainer.evaluate(x: trainer.x, y: trainer.y).loss
                }
                explanations.publish(explanation)
                emit(.explained, loss: result.loss)
            }
        }
        if epochsDone >= plannedEpochs && state == .running {
            // With early stopping the run ends on its best epoch's weights, stopped early or not.
            if patience != nil, best.epoch < trainer.epochs { restoreBest() }
            state = .finished
            publishSnapshot()
            emit(.finished, loss: result.loss)
        }
    }

    private func finishEpoch(_ result: StepResult) {
        let evaluation = trainer.evaluate(x: validationX, y: validationY)
        lastValidation = evaluation
        var event = TrainingEvent(kind: .epoch, update: trainer.updates, epoch: trainer.epochs,
                                  loss: Float(epochLossSum / Double(max(epochLossCount, 1))),
                                  learningRate: result.learningRate, seconds: trainingSeconds(clock()))
        event.validationLoss = evaluation.loss
        event.validationMetric = Float(evaluation.headline?.value ?? .nan)
        epochLog.append(event)
        _ = events.push(event)
        epochCheckpoints?.save(trainer.model, epoch: trainer.epochs, update: trainer.updates)
        epochLossSum = 0
        epochLossCount = 0
        if case let .plateau(patience, factor) = trainer.schedule { reduceOnPlateau(evaluation.loss, patience, factor) }
        if let patience { stopEarlyIfStalled(evaluation.loss, patience: patience) }
    }

    /// A step schedule's step shows as a change (a marker on the chart); smooth schedules
    /// (cosine, one-cycle) change every update and are not marked.
    private func noteScheduleStep(_ rate: Float) {
        defer { lastScheduledRate = rate }
        guard case .step = trainer.schedule, let last = lastScheduledRate, last != rate else { return }
        emitChange(.scheduledLearningRate, last, rate)
    }

    /// ReduceLROnPlateau: the base rate times `factor` after `patience` epochs without a better
    /// validation loss.
    private func reduceOnPlateau(_ loss: Float, _ patience: Int, _ factor: Float) {
        if loss < plateauBest {
            plateauBest = loss
            plateauEpochs = 0
            return
        }
        plateauEpochs += 1
        guard plateauEpochs >= patience else { return }
        plateauEpochs = 0
        let old = trainer.baseLearningRate
        trainer.baseLearningRate = old * factor
        emitChange(.scheduledLearningRate, old, trainer.baseLearningRate)
    }

    /// Keeps the best epoch's weights; after `patience` epochs without a better validation
    /// loss, puts them back and ends the run.
    private func stopEarlyIfStalled(_ loss: Float, patience: Int) {
        let parameters = trainer.model.parameters
        if loss < best.loss {
            if best.weights.count != parameters.count { best.weights = parameters.map(\.value) }
            for (i, p) in parameters.enumerated() { best.weights[i].assign(p.value) }
            best = (loss, trainer.epochs, best.weights)
            return
        }
        guard trainer.epochs - best.epoch >= patience else { return }
        restoreBest()
        state = .finished
        publishSnapshot()
    }

    /// Puts the best epoch's weights back (early stopping) and says so.
    private func restoreBest() {
        guard !best.weights.isEmpty else { return }
        for (p, saved) in zip(trainer.model.parameters, best.weights) { p.value.assign(saved) }
        lastValidation = trainer.evaluate(x: validationX, y: validationY)
        var event = TrainingEvent(kind: .earlyStopped, update: trainer.updates, epoch: best.epoch, loss: .nan,
                                  learningRate: trainer.baseLearningRate, seconds: trainingSeconds(clock()))
        event.validationLoss = best.loss
        _ = events.push(event)
    }

    /// A run has diverged when its loss or gradient stops being a finite number, or when the
    /// loss has grown 10⁴-fold past the model's first loss (and above 10³): cross-entropy from
    /// logits stays finite while the weights explode, so NaN alone would miss it.
    static func hasDiverged(_ result: StepResult, reference: Float) -> Bool {
        !result.loss.isFinite || !result.gradientNorm.isFinite
            || (result.loss > 1e3 && result.loss > reference * 1e4)
    }

    /// Goes back to the last checkpoint whose loss was sane, forgets the optimizer's state and
    /// pauses; the event says which weights came back (or that none were sane).
    private func diverge(_ result: StepResult) {
        let restored = checkpoint.restore(into: trainer)
        trainer.optimizer.resetState()
        state = .paused
        pendingSteps = 0
        publishSnapshot()
        var event = TrainingEvent(kind: .diverged, update: trainer.updates, epoch: trainer.epochs,
                                  loss: result.loss, learningRate: result.learningRate,
                                  seconds: trainingSeconds(clock()))
        event.gradientNorm = result.gradientNorm
        if let restored {
            event.restoredUpdate = restored.update
            event.restoredLoss = restored.loss
            event.restoredLearningRate = restored.learningRate ?? .nan
        }
        _ = events.push(event)
    }

    /// ‖Δw‖/‖w‖ of every parameter in the update just made (against `weightsBefore`).
    private func measureUpdateRatios(_ parameters: [Parameter]) {
        measureNextUpdate = false
        if updateRatios.count != parameters.count { updateRatios = [Float](repeating: .nan, count: parameters.count) }
        for (i, p) in parameters.enumerated() {
            var change = 0.0, size = 0.0
            p.value.scalars.withUnsafeBufferPointer { w in
                weightsBefore[i].scalars.withUnsafeBufferPointer { before in
                    for k in w.indices {
                        let d = Double(w[k] - before[k])
                        change += d * d
                        size += Double(before[k]) * Double(before[k])
                    }
                }
            }
            updateRatios[i] = size > 0 ? Float((change / size).squareRoot()) : .nan
        }
    }

    /// Publishes the layer summary and the latest validation evaluation: at most every
    /// `snapshotPeriod` seconds while training, and whenever the run pauses, stops or finishes.
    public func publishSnapshot(at now: Double? = nil) {
        lastSnapshotTime = now ?? clock()
        var snapshot = RunSnapshot.of(trainer, validation: lastValidation, validationX: validationX, probe: probe,
                                      updateRatios: updateRatios, unit: probeUnit, attentionSample: attentionSample)
        snapshot.ladder = ladder?.rungs
        snapshots.publish(snapshot)
        measureNextUpdate = true
    }

    // MARK: - Control

    private func applyControls() {
        _ = controls.drain { message in apply(message) }
    }

    private func apply(_ message: ControlMessage) {
        switch message {
        case .pause:
            if state == .running { state = .paused; publishSnapshot(); emit(.paused) }
        case .resume:
            if state == .paused { state = .running; nextUpdateTime = 0; emit(.resumed) }
        case .stop:
            if state == .running || state == .paused { state = .stopped; publishSnapshot(); emit(.stopped) }
        case .step(let n):
            if state == .running { state = .paused; emit(.paused) }
            pendingSteps += max(0, n)
        case .setLearningRate(let lr):
            // Weights from before a change are kept if they were sane: a divergence it causes
            // goes back to them, not to weights trained at the new rate.
            checkpoint.saveIfSane(trainer)
            let old = trainer.baseLearningRate
            trainer.baseLearningRate = lr
            emitChange(.learningRate, old, lr)
        case .setMomentum(let m):
            checkpoint.saveIfSane(trainer)
            let old = trainer.optimizer.momentum ?? .nan
            trainer.optimizer.momentum = m
            emitChange(.momentum, old, trainer.optimizer.momentum ?? .nan)
        case .setBatchSize(let b):
            checkpoint.saveIfSane(trainer)
            let old = Float(trainer.batchSize ?? trainer.sampleCount)
            trainer.batchSize = b
            emitChange(.batchSize, old, Float(trainer.batchSize ?? trainer.sampleCount))
        case .setPace(let p):
            let old = pace
            pace = max(0, p)
            nextUpdateTime = 0
            emitChange(.pace, Float(old), Float(pace))
        case let .watch(parameter, element):
            watched = (parameter, element)
        case let .probeUnit(layer, unit):
            probeUnit = layer < 0 ? nil : (layer, unit)
            publishSnapshot()
        case .probeAttention(let sample):
            attentionSample = sample
            publishSnapshot()
        }
    }

    private func emit(_ kind: TrainingEvent.Kind, loss: Float = .nan) {
        _ = events.push(TrainingEvent(kind: kind, update: trainer.updates, epoch: trainer.epochs,
                                      loss: loss, learningRate: trainer.optimizer.learningRate,
                                      seconds: trainingSeconds(clock())))
    }

    private func emitChange(_ setting: TrainingEvent.Setting, _ old: Float, _ new: Float) {
        var event = TrainingEvent(kind: .changed, update: trainer.updates, epoch: trainer.epochs,
                                  loss: .nan, learningRate: trainer.baseLearningRate,
                                  seconds: trainingSeconds(clock()))
        event.setting = setting
        event.oldValue = old
        event.newValue = new
        _ = events.push(event)
    }
}
