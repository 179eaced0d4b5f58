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
    /// Where each epoch's weights are kept for `rewind` (shared by the runs of one model).
    public let epochCheckpoints: EpochCheckpoints?
    /// Samples written at loss milestones (sequence models); set before the run starts.
    public var ladder: LossLadder?
    /// A GPT's head scores over the run (`show heads`); nil for a model without heads.
    var headReadings: HeadReadings?
    /// When false, no step events are pushed (reports still are): how the benchmark measures
    /// what reporting costs.
    public var reportsSteps = true
    /// Which epochs are validated (and every epoch with early stopping or a plateau schedule);
    /// set before the run starts.
    public var validationStride = ValidationStride.everyEpoch
    /// Times the first updates and reports the run's estimated time (`estimated`); set before
    /// the run starts (`estimateTime(after:)`), nil: no estimate.
    private var speedWatch: SpeedWatch?

    public internal(set) var state: State {
        didSet { stateChanged(from: oldValue) }
    }
    public internal(set) var lastValidation: Evaluation?
    /// How the current update computes (nil while the run is not computing).
    public var threadPlan: ThreadBudget.Plan? { threads.plan }
    /// Hands out threads beyond the run's own; shared by every run.
    public var budget: ThreadBudget { threads.budget }

    let validationX: Tensor
    let validationY: Tensor
    /// What each epoch's end evaluates: the validation split, or a fixed sample of a large one.
    let epochValidation: EvaluationSample
    private let startEpochs: Int
    private let startUpdates: Int
    var clock: TrainingClock
    var threads: ThreadUse
    var pacing: Pacing
    private var tally = EpochTally()
    var request = StepRequest()
    var probes: Probes
    var ratios = UpdateRatios()
    private var earlyStopping: EarlyStopping?
    private var plateau: PlateauSchedule?
    var divergence: DivergenceGuard
    var undoPoint: UndoPoint?
    private var lastScheduledRate: Float?
    private var snapshotSchedule: SnapshotSchedule
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
        self.epochValidation = EvaluationSample(x: validationX, y: validationY, trainingSamples: trainer.sampleCount,
                                                forward: trainer.forwardMultiplyAddsPerSample)
        self.probes = Probes(points: probe)
        self.headReadings = HeadReadings(model: trainer.model, batch: trainer.batchSize ?? trainer.sampleCount)
        self.earlyStopping = patience.map(EarlyStopping.init(patience:))
        if case let .plateau(patience, factor) = trainer.schedule { plateau = PlateauSchedule(patience: patience, factor: factor) }
        self.epochCheckpoints = epochCheckpoints
        self.steps = SPSCRing(capacity: eventCapacity)
        self.controls = SPSCRing(capacity: 256)
        self.checkpointInterval = max(1, checkpointInterval)
        self.snapshotPeriod = snapshotPeriod
        self.snapshotSchedule = SnapshotSchedule(period: snapshotPeriod)
        self.threads = ThreadUse(budget: budget)
        self.state = paused ? .paused : .running
        self.pacing = Pacing(rate: pace)
        self.clock = TrainingClock(clock, paused: paused)
        self.startEpochs = trainer.epochs
        self.startUpdates = trainer.updates
        self.divergence = DivergenceGuard(trainer)
        self.isTwoParameter = trainer.model.parameterCount == 2 && trainer.model.parameters.count == 2
        trainer.plannedUpdates = max(1, epochs * trainer.updatesPerEpoch)
        if !paused { threads.enter() }
    }

    deinit {
        if state == .running { threads.leave() }
    }

    /// Seconds from a monotonic clock.
    public static let monotonicSeconds: @Sendable () -> Double = {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    /// Epochs completed in this run.
    public var epochsDone: Int { trainer.epochs - startEpochs }

    /// True when the run waits for a control message: paused with no steps to make.
    public var isIdle: Bool { state == .paused && request.pending == 0 }

    /// Times the run's first `updates` updates and reports its estimated training time then
    /// (`SpeedWatch`). Call before the run starts.
    public func estimateTime(after updates: Int) { speedWatch = SpeedWatch(after: updates) }

    /// A run made to go on from `previous` on the same trainer keeps what belongs to the model
    /// rather than to one engine run: the ladder's rungs and the way back of `undo`.
    public func carryOver(from previous: TrainingRun) {
        if previous.ladder != nil { ladder = previous.ladder }
        if previous.headReadings != nil { headReadings = previous.headReadings }
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
        let now = paced ? clock.read() : 0
        if paced, let wait = pacing.wait(at: now) { return .wait(wait) }
        // Steps made by hand compute too: the budget must count them.
        let stepping = state != .running
        if stepping { threads.enter() }
        defer { if stepping { threads.leave() } }
        guard let plan = threads.grant(threads.wanted(by: trainer, paced: pacing.isPaced)) else { return .wait(0.0005) }
        if paced { pacing.updated(at: now) }
        if plan == .split { WorkSplit.allowing(true) { performUpdate() } } else { performUpdate() }   // a driver never splits otherwise
        return (state == .finished || state == .stopped) ? .done : .again
    }

    private func stateChanged(from old: State) {
        guard state != old else { return }
        if old == .running {
            threads.leave()
            clock.pause()
        }
        if state == .running {
            threads.enter()
            clock.resume()
        }
    }

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
        if let loss = ladder?.due(result.loss) {
            ladder?.take(loss, update: trainer.updates, model: probes.synced(with: trainer.model))
        }
        tally.add(result.loss)
        let now = clock.tick(trainer.updates & 15 == 0 || result.endedEpoch || pacing.isPaced)
        if reportsSteps {
            var event = TrainingEvent(kind: .step, update: trainer.updates, epoch: trainer.epochs,
                                      loss: result.loss, learningRate: result.learningRate,
                                      seconds: clock.seconds(at: now))
            event.gradientNorm = result.gradientNorm
            if isTwoParameter {
                event.w = parameters[0].value.scalars[0]
                event.b = parameters[1].value.scalars[0]
            }
            _ = steps.push(event)
        }
        if speedWatch != nil { watchSpeed() }
        if trainer.updates % checkpointInterval == 0 { divergence.saveIfSane(trainer) }
        noteScheduleStep(result.learningRate)
        if request.madeOne() {
            // A learner stepping by hand sees the evaluation of exactly these weights, and the
            // explanation of the update before the epoch it may have ended.
            lastValidation = trainer.evaluate(x: validationX, y: validationY)
            readHeads()
            publishSnapshot()
            if let before, let explanation = request.explain(trainer, result, before: before) {
                explanations.publish(explanation)
                report(.explained, loss: result.loss)
            }
        }
        if result.endedEpoch { finishEpoch(result) }
        if headReadings?.isDue(at: trainer.updates) == true { readHeads() }
        // `now` may be up to 15 updates old (the clock is read every 16th): enough to tell that a
        // snapshot is due, but the schedule is kept with fresh readings.
        if snapshotSchedule.isDue(at: now) {
            let start = clock.read()
            publishSnapshot()
            snapshotSchedule.made(at: start, taking: clock.read() - start)
        }
        if epochsDone >= plannedEpochs && state == .running {
            // With early stopping the run ends on its best epoch's weights, stopped early or not.
            if let earlyStopping, earlyStopping.hasBetter(than: trainer.epochs) { restoreBest(earlyStopping) }
            state = .finished
            readHeads()
            publishSnapshot()
            report(.finished, loss: result.loss)
        }
    }

    /// Times the first updates; after `SpeedWatch.after` of them, reports the run's estimated time.
    private func watchSpeed() {
        let done = trainer.updates - startUpdates
        guard let perUpdate = speedWatch?.observe(update: done, seconds: clock.seconds) else { return }
        speedWatch = nil
        let planned = plannedEpochs * trainer.updatesPerEpoch
        let batch = Double(trainer.batchSize ?? trainer.sampleCount)
        var event = TrainingEvent(kind: .estimated, update: trainer.updates, epoch: trainer.epochs, loss: .nan,
                                  learningRate: trainer.learningRate, seconds: clock.seconds)
        event.estimatedSeconds = SpeedWatch.total(elapsed: clock.seconds, perUpdate: perUpdate, updatesLeft: max(planned - done, 0),
                                                  validationsLeft: max(plannedEpochs - epochsDone, 0) / validationStride.every,
                                                  validationBatches: Double(epochValidation.count) / batch)
        event.newValue = Float(1 / max(perUpdate, 1e-9))
        reports.append(event)
    }

    private func finishEpoch(_ result: StepResult) {
        var event = TrainingEvent(kind: .epoch, update: trainer.updates, epoch: trainer.epochs, loss: tally.close(),
                                  learningRate: result.learningRate, seconds: clock.seconds)
        let validates = validationStride.validates(epoch: trainer.epochs, last: epochsDone >= plannedEpochs)
            || earlyStopping != nil || plateau != nil
        guard validates else {
            event.validated = false
            reports.append(event)
            epochCheckpoints?.save(trainer.model, epoch: trainer.epochs, update: trainer.updates)
            return
        }
        let evaluation = trainer.evaluate(x: epochValidation.x, y: epochValidation.y)
        lastValidation = evaluation
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
        lastValidation = trainer.evaluate(x: epochValidation.x, y: epochValidation.y)
        var event = TrainingEvent(kind: .earlyStopped, update: trainer.updates, epoch: trainer.epochs, loss: .nan,
                                  learningRate: trainer.learningRate, seconds: clock.seconds)
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
        // Every pane shows the weights that came back: their gradients, their evaluation, and
        // (a two-parameter model) their point on the loss surface, after the blow-up's.
        if restored != nil { trainer.refreshGradients() }
        lastValidation = trainer.evaluate(x: epochValidation.x, y: epochValidation.y)
        publishSnapshot()
        var event = TrainingEvent(kind: .diverged, update: trainer.updates, epoch: trainer.epochs,
                                  loss: result.loss, learningRate: result.learningRate,
                                  seconds: clock.seconds)
        event.gradientNorm = result.gradientNorm
        if isTwoParameter, restored != nil {
            event.w = trainer.model.parameters[0].value.scalars[0]
            event.b = trainer.model.parameters[1].value.scalars[0]
        }
        if let restored {
            event.restoredUpdate = restored.update
            event.restoredLoss = restored.loss
            event.restoredLearningRate = restored.learningRate ?? .nan
        }
        reports.append(event)
    }

    /// Reads a GPT's heads now, on the probing copy (`HeadReadings`).
    func readHeads() {
        guard headReadings != nil else { return }
        headReadings?.take(probes.synced(with: trainer.model), update: trainer.updates)
    }

    /// Publishes the layer summary and the latest validation evaluation: while training when
    /// the `SnapshotSchedule` says (at most every `snapshotPeriod` seconds, within
    /// `SnapshotSchedule.share` of the run's time), and whenever the run pauses, stops, finishes
    /// or is changed.
    public func publishSnapshot() {
        var snapshot = probes.snapshot(of: trainer, validation: lastValidation, validationX: validationX,
                                       updateRatios: ratios.ratios, ladder: ladder)
        snapshot.heads = headReadings.flatMap { $0.history.latest == nil ? nil : $0.history }
        snapshots.publish(snapshot)
        ratios.arm()
    }
}
