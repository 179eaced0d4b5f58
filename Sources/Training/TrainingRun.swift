import Foundation
import TensorCore
import NeuralEngine
import EventRing

/// One training run: a `Trainer`, the loop that advances it one update at a time, and the
/// channels that connect it to a front end: control messages in, step events (a ring) and
/// reports (a log) out, snapshots in slots.
///
/// The loop only sequences; each piece of per-update bookkeeping is a small type of its own,
/// testable without a thread: `Pacing`, `EpochTally`, `EarlyStopping`, `PlateauSchedule`,
/// `UpdateRatios`, `StepRequest`, `Probes`, `LossLadder`, `DivergenceGuard`, `UndoPoint`.
///
/// Thread contract: while a `RunDriverPool` drives the run, only its driver thread calls
/// `advance()` and touches the trainer, model and optimizer; the front end only pushes to
/// `controls`, pops `steps`, reads `reports` and the slots. Before a driver starts and after it
/// has finished (`RunHandle.join()`), one thread may use everything, `control(_:)` included:
/// that is how a run no thread drives is stepped and changed (the run coordinator's job), and
/// how the tests drive a run synchronously (`ManualRunner`).
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
    /// One event per update (loss, rate, w and b of a two-parameter model): the charts.
    public let steps: SPSCRing<TrainingEvent>
    /// Every other event, in order, none dropped: what is printed and what a record keeps.
    public let reports = AppendLog<TrainingEvent>()
    public let controls: SPSCRing<ControlMessage>
    public let snapshots = SnapshotSlot<RunSnapshot>()
    public let explanations = SnapshotSlot<StepExplanation>()
    /// Updates between two weight checkpoints.
    public let checkpointInterval: Int
    /// Seconds between two snapshots while training (they are for display only).
    public let snapshotPeriod: Double
    /// Hands out threads beyond the run's own; shared by every run.
    public let budget: ThreadBudget
    /// Where each epoch's weights are kept for `rewind` (shared by the runs of one model).
    public let epochCheckpoints: EpochCheckpoints?
    /// Samples written at loss milestones (sequence models); set before the run starts.
    public var ladder: LossLadder?
    /// When false, no step events are pushed (reports still are): how the benchmark measures
    /// what reporting costs.
    public var reportsSteps = true

    public private(set) var state: State {
        didSet { stateChanged(from: oldValue) }
    }
    public private(set) var lastValidation: Evaluation?
    /// How the current update computes (nil while the run is not computing).
    public private(set) var threadPlan: ThreadBudget.Plan?

    private let validationX: Tensor
    private let validationY: Tensor
    private let clock: @Sendable () -> Double
    /// When the run started, moved later by every pause: `clock() − startTime` counts only the
    /// time spent training.
    private var startTime: Double
    private var pausedSince: Double?
    private let startEpochs: Int
    private let token: Int
    private var pacing: Pacing
    private var tally = EpochTally()
    private var request = StepRequest()
    private var probes: Probes
    private var ratios = UpdateRatios()
    private var earlyStopping: EarlyStopping?
    private var plateau: PlateauSchedule?
    private var divergence: DivergenceGuard
    private var undoPoint: UndoPoint?
    private var lastScheduledRate: Float?
    private var lastSnapshotTime = -Double.infinity
    /// The clock as last read (every 16th update: reading it each update cost as much as the report).
    private var lastClock: Double = 0
    /// The model's sizes for the batch they were computed for (no allocation per update).
    private var sizes = (batch: -1, product: 0, largestTensor: 0)
    /// The model has exactly two trainable scalars: step events carry them (the contour's path).
    private let isTwoParameter: Bool

    /// A run of `epochs` more epochs on `trainer`, evaluated on the validation tensors after
    /// each epoch. `paused` runs wait for `resume` or `step`; `pace` is updates per second
    /// (0 = as fast as possible); `patience` turns on early stopping.
    public init(trainer: Trainer, epochs: Int, validationX: Tensor, validationY: Tensor,
                paused: Bool = false, pace: Double = 0, probe: Tensor? = nil, patience: Int? = nil,
                epochCheckpoints: EpochCheckpoints? = nil, eventCapacity: Int = 1 << 14,
                checkpointInterval: Int = 64, snapshotPeriod: Double = 0.05, budget: ThreadBudget = .process,
                clock: @escaping @Sendable () -> Double = TrainingRun.monotonicSeconds) {
        self.trainer = trainer
        self.plannedEpochs = epochs
        self.validationX = validationX
        self.validationY = validationY
        self.probes = Probes(points: probe)
        self.earlyStopping = patience.map(EarlyStopping.init(patience:))
        if case let .plateau(patience, factor) = trainer.schedule { plateau = PlateauSchedule(patience: patience, factor: factor) }
        self.epochCheckpoints = epochCheckpoints
        self.steps = SPSCRing(capacity: eventCapacity)
        self.controls = SPSCRing(capacity: 256)
        self.checkpointInterval = max(1, checkpointInterval)
        self.snapshotPeriod = snapshotPeriod
        self.budget = budget
        self.token = budget.makeToken()
        self.state = paused ? .paused : .running
        self.pacing = Pacing(rate: pace)
        self.clock = clock
        self.startTime = clock()
        self.startEpochs = trainer.epochs
        self.divergence = DivergenceGuard(trainer)
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
    public var isIdle: Bool { state == .paused && request.pending == 0 }

    /// A run made to go on from `previous` on the same trainer keeps what belongs to the model
    /// rather than to one engine run: the ladder's rungs and the way back of `undo`.
    public func carryOver(from previous: TrainingRun) {
        if previous.ladder != nil { ladder = previous.ladder }
        undoPoint = previous.undoPoint
    }

    // MARK: - Driving

    /// Applies pending control messages, then performs at most one update. The background
    /// driver calls this in a loop; tests call it directly.
    public func advance() -> Progress {
        _ = controls.drain { message in control(message) }
        switch state {
        case .stopped, .finished:
            return .done
        case .paused where request.pending == 0:
            return .wait(0.002)
        default:
            break
        }
        let paced = pacing.isPaced && request.pending == 0
        let now = paced ? clock() : 0
        if paced, let wait = pacing.wait(at: now) { return .wait(wait) }
        // Steps made by hand compute too: the budget must count them.
        let stepping = state != .running
        if stepping { budget.enter() }
        defer { if stepping { budget.leave(token) } }
        guard let plan = budget.plan(token, wanted: wantedPlan()) else { return .wait(0.0005) }
        threadPlan = plan
        if paced { pacing.updated(at: now) }
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
        guard !pacing.isPaced else { return .one }
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
        let parameters = trainer.model.parameters
        let before = request.explainsNext ? request.watchedValue(in: parameters) : nil
        let measuring = ratios.keepBefore(parameters)
        let result = trainer.trainStep()
        if measuring { ratios.measure(parameters) }
        if divergence.observe(result, of: trainer) {
            diverge(result)
            return
        }
        ladder?.observe(result.loss, update: trainer.updates, model: trainer.model)
        tally.add(result.loss)
        if trainer.updates & 15 == 0 || result.endedEpoch || pacing.isPaced { lastClock = clock() }
        let now = lastClock
        if reportsSteps {
            var event = TrainingEvent(kind: .step, update: trainer.updates, epoch: trainer.epochs,
                                      loss: result.loss, learningRate: result.learningRate,
                                      seconds: trainingSeconds(now))
            event.gradientNorm = result.gradientNorm
            if isTwoParameter {
                event.w = parameters[0].value.scalars[0]
                event.b = parameters[1].value.scalars[0]
            }
            _ = steps.push(event)
        }
        if trainer.updates % checkpointInterval == 0 { divergence.saveIfSane(trainer) }
        noteScheduleStep(result.learningRate)
        if request.madeOne() {
            // A learner stepping by hand sees the evaluation of exactly these weights, and the
            // explanation of the update before the epoch it may have ended.
            lastValidation = trainer.evaluate(x: validationX, y: validationY)
            publishSnapshot()
            if let before, let explanation = request.explain(trainer, result, before: before) {
                explanations.publish(explanation)
                report(.explained, loss: result.loss)
            }
        }
        if result.endedEpoch { finishEpoch(result) }
        if now - lastSnapshotTime >= snapshotPeriod { publishSnapshot(at: now) }
        if epochsDone >= plannedEpochs && state == .running {
            // With early stopping the run ends on its best epoch's weights, stopped early or not.
            if let earlyStopping, earlyStopping.hasBetter(than: trainer.epochs) { restoreBest(earlyStopping) }
            state = .finished
            publishSnapshot()
            report(.finished, loss: result.loss)
        }
    }

    private func finishEpoch(_ result: StepResult) {
        let evaluation = trainer.evaluate(x: validationX, y: validationY)
        lastValidation = evaluation
        var event = TrainingEvent(kind: .epoch, update: trainer.updates, epoch: trainer.epochs, loss: tally.close(),
                                  learningRate: result.learningRate, seconds: trainingSeconds(clock()))
        event.validationLoss = evaluation.loss
        event.validationMetric = Float(evaluation.headline?.value ?? .nan)
        reports.append(event)
        epochCheckpoints?.save(trainer.model, epoch: trainer.epochs, update: trainer.updates)
        if plateau?.observe(evaluation.loss) == true, let factor = plateau?.factor {
            let old = trainer.learningRate
            trainer.learningRate = old * factor
            reportChange(.scheduledLearningRate, old, trainer.learningRate)
        }
        if earlyStopping?.observe(evaluation.loss, epoch: trainer.epochs, parameters: trainer.model.parameters) == true,
           let earlyStopping {
            restoreBest(earlyStopping)
            state = .finished
            publishSnapshot()
        }
    }

    /// A step schedule's step shows as a change (a marker on the chart); smooth schedules
    /// (cosine, one-cycle) change every update and are not marked.
    private func noteScheduleStep(_ rate: Float) {
        defer { lastScheduledRate = rate }
        guard case .step = trainer.schedule, let last = lastScheduledRate, last != rate else { return }
        reportChange(.scheduledLearningRate, last, rate)
    }

    /// Puts the best epoch's weights back (early stopping) and says so.
    private func restoreBest(_ stopping: EarlyStopping) {
        stopping.restore(into: trainer.model.parameters)
        lastValidation = trainer.evaluate(x: validationX, y: validationY)
        var event = TrainingEvent(kind: .earlyStopped, update: trainer.updates, epoch: trainer.epochs, loss: .nan,
                                  learningRate: trainer.learningRate, seconds: trainingSeconds(clock()))
        event.restoredEpoch = stopping.bestEpoch
        event.validationLoss = stopping.bestLoss
        reports.append(event)
    }

    /// Goes back to the last sane checkpoint and pauses; the report says which weights came
    /// back (or that none were sane).
    private func diverge(_ result: StepResult) {
        let restored = divergence.restore(into: trainer)
        state = .paused
        request.cancel()
        lastValidation = trainer.evaluate(x: validationX, y: validationY)
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
        reports.append(event)
    }

    /// Publishes the layer summary and the latest validation evaluation: at most every
    /// `snapshotPeriod` seconds while training, and whenever the run pauses, stops or finishes.
    public func publishSnapshot(at now: Double? = nil) {
        lastSnapshotTime = now ?? clock()
        snapshots.publish(probes.snapshot(of: trainer, validation: lastValidation, validationX: validationX,
                                          updateRatios: ratios.ratios, ladder: ladder))
        ratios.arm()
    }

    // MARK: - Control

    /// Applies a control message now, on the caller's thread. The driver calls it for each
    /// message it takes from `controls`; the run coordinator calls it directly on a run no
    /// thread drives (the thread contract above).
    public func control(_ message: ControlMessage) {
        switch message {
        case .pause:
            if state == .running { state = .paused; publishSnapshot(); report(.paused) }
        case .resume:
            if state == .paused { state = .running; pacing.restart(); report(.resumed) }
        case .stop:
            if state == .running || state == .paused { state = .stopped; publishSnapshot(); report(.stopped) }
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
        }
    }

    /// A live change: the weights from before it are kept if they were sane (a divergence it
    /// causes goes back to them, not to weights trained at the new value), and as the way back
    /// of `undo`; then the change, echoed as a report.
    private func change(_ setting: TrainingEvent.Setting, from old: Float, _ apply: () -> Void) {
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
    private func undo() {
        var event = TrainingEvent(kind: .undone, update: trainer.updates, epoch: trainer.epochs, loss: .nan,
                                  learningRate: trainer.learningRate, seconds: trainingSeconds(clock()))
        if let point = undoPoint {
            point.restore(into: trainer)
            undoPoint = nil
            lastValidation = trainer.evaluate(x: validationX, y: validationY)
            publishSnapshot()
            event.restoredUpdate = point.update
            event.setting = point.setting
            event.oldValue = point.oldValue
            event.learningRate = trainer.learningRate
        }
        reports.append(event)
    }

    private func report(_ kind: TrainingEvent.Kind, loss: Float = .nan) {
        reports.append(TrainingEvent(kind: kind, update: trainer.updates, epoch: trainer.epochs, loss: loss,
                                     learningRate: trainer.learningRate, seconds: trainingSeconds(clock())))
    }

    private func reportChange(_ setting: TrainingEvent.Setting, _ old: Float, _ new: Float) {
        var event = TrainingEvent(kind: .changed, update: trainer.updates, epoch: trainer.epochs,
                                  loss: .nan, learningRate: trainer.learningRate,
                                  seconds: trainingSeconds(clock()))
        event.setting = setting
        event.oldValue = old
        event.newValue = new
        reports.append(event)
    }
}
