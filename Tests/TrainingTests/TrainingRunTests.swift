import Testing
import Foundation
import TensorCore
import NeuralEngine
import Datasets
@testable import Training

/// A small run on xor: 2-8-1 tanh/sigmoid, SGD, batch 10 over 200 points (20 updates/epoch).
func makeRun(epochs: Int = 5, paused: Bool = false, lr: Float = 0.1, seed: UInt64 = 3,
             kind: SyntheticKind = .xor, eventCapacity: Int = 1 << 14,
             clock: @escaping @Sendable () -> Double = TrainingRun.monotonicSeconds) throws -> TrainingRun {
    var rng = SeededGenerator(seed: seed)
    let data = try Dataset.synthetic(kind, options: .init(n: 200), rng: &rng)
    let (train, validation) = try data.split(trainFraction: 0.8, rng: &rng)
    let classification = data.task.classCount != nil
    let model = try Sequential(classification
        ? [try Dense(units: 8, activation: .tanh), try Dense(units: 1, activation: .sigmoid)]
        : [try Dense(units: 1)])
    let trainer = try Trainer(model: model, loss: classification ? BinaryCrossEntropy() : MeanSquaredError(),
                              optimizer: SGD(), learningRate: lr, x: train.features, y: train.targets,
                              classes: data.task.classCount, batchSize: 10, rng: rng)
    return TrainingRun(trainer: trainer, epochs: epochs, validationX: validation.features,
                       validationY: validation.targets, paused: paused, eventCapacity: eventCapacity, clock: clock)
}

/// Reads what a run made since the last read: its step events (drained from the ring), then its
/// new reports (from the log).
final class EventReader {
    private var taken = 0
    func read(_ run: TrainingRun) -> [TrainingEvent] {
        var events: [TrainingEvent] = []
        _ = run.steps.drain { events.append($0) }
        while taken < run.reports.count {
            events.append(run.reports[taken])
            taken += 1
        }
        return events
    }
}

/// Every step event not yet drained and every report the run has made.
func drainAll(_ run: TrainingRun) -> [TrainingEvent] { EventReader().read(run) }

@Suite struct ControlTests {
    @Test func setLearningRateAppliesAtTheNextUpdateAndIsEchoed() throws {
        let run = try makeRun()
        for _ in 0..<3 { _ = run.advance() }
        _ = run.controls.push(.setLearningRate(0.01))
        _ = run.advance()
        let events = drainAll(run)
        let change = try #require(events.first { $0.kind == .changed })
        #expect(change.setting == .learningRate && change.oldValue == 0.1 && change.newValue == 0.01)
        #expect(change.update == 3)
        let steps = events.filter { $0.kind == .step }
        #expect(steps.map(\.learningRate) == [0.1, 0.1, 0.1, 0.01])
    }

    @Test func pauseResumeStop() throws {
        let run = try makeRun()
        _ = run.advance()
        _ = run.controls.push(.pause)
        #expect(run.advance() == .wait(0.002))
        #expect(run.state == .paused && run.trainer.updates == 1)
        _ = run.controls.push(.resume)
        #expect(run.advance() == .again)
        #expect(run.trainer.updates == 2)
        _ = run.controls.push(.stop)
        #expect(run.advance() == .done)
        #expect(run.state == .stopped)
        let kinds = drainAll(run).map(\.kind).filter { $0 != .step }
        #expect(kinds == [.paused, .resumed, .stopped])
    }

    @Test(arguments: [1, 7, 45])
    func stepPerformsExactlyNUpdates(n: Int) throws {
        let run = try makeRun(paused: true)
        _ = run.controls.push(.step(n))
        ManualRunner(run: run).runUntilIdle()
        #expect(run.trainer.updates == n)
        #expect(run.state == .paused)
        #expect(drainAll(run).filter { $0.kind == .step }.count == n)
    }

    @Test func stepExplainsTheWatchedScalar() throws {
        let run = try makeRun(paused: true, lr: 0.1)
        _ = run.controls.push(.watch(parameter: 0, element: 3))
        _ = run.controls.push(.step(2))
        ManualRunner(run: run).runUntilIdle()
        let e = try #require(run.explanations.latest())
        #expect(e.updates == 2 && e.optimizerState.isEmpty && e.updateRule == SGD.updateRule)
        // SGD: after = before − η·g exactly as the optimizer computed it in Float.
        #expect(e.after == e.before - e.learningRate * e.gradient)
        #expect(e.after == run.trainer.model.parameters[0].value.scalars[3])
        #expect(drainAll(run).contains { $0.kind == .explained })
    }

    @Test func runFinishesAfterItsEpochsWithOneEpochRecordEach() throws {
        let run = try makeRun(epochs: 4)
        ManualRunner(run: run).runUntilIdle()
        #expect(run.state == .finished)
        #expect(run.trainer.updates == 4 * 16)
        let epochs = run.reports.elements.filter { $0.kind == .epoch }
        #expect(epochs.map(\.epoch) == [1, 2, 3, 4])
        #expect(epochs.allSatisfy { !$0.validationMetric.isNaN })
        #expect(run.reports.elements.map(\.kind) == [.epoch, .epoch, .epoch, .epoch, .finished])
        #expect(run.snapshots.latest()?.summary.totalParameters == 33)
    }

    @Test func divergencePausesAndRestoresFiniteWeights() throws {
        // Linear regression with SGD at lr = 50: the loss overflows within a few updates.
        let run = try makeRun(epochs: 100, lr: 50, kind: .linear)
        ManualRunner(run: run).runUntilIdle(limit: 10_000)
        #expect(run.state == .paused)
        let diverged = try #require(drainAll(run).first { $0.kind == .diverged })
        // Caught as an exploding loss (10⁴ times the first) or as NaN/Inf, whichever comes first.
        #expect(!diverged.loss.isFinite || !diverged.gradientNorm.isFinite || diverged.loss > 1e3)
        #expect(run.trainer.model.parameters.allSatisfy { $0.value.isFinite })
    }

    @Test func anExplodingButFiniteLossCountsAsDivergence() {
        func result(_ loss: Float, _ norm: Float = 1) -> StepResult {
            StepResult(loss: loss, gradientNorm: norm, learningRate: 50, endedEpoch: false)
        }
        #expect(!DivergenceGuard.exploded(result(0.7), firstLoss: 0.7))
        #expect(DivergenceGuard.exploded(result(2.4e7, 1e9), firstLoss: 0.7))
        #expect(DivergenceGuard.exploded(result(.nan), firstLoss: 0.7))
        #expect(DivergenceGuard.exploded(result(0.5, .infinity), firstLoss: 0.7))
        // Large but not exploding (regression on big raw targets) is not divergence.
        #expect(!DivergenceGuard.exploded(result(5e9, 1e5), firstLoss: 1e10))
    }

    @Test func aFullRingDropsStepsButNeverAReport() throws {
        let run = try makeRun(epochs: 3, eventCapacity: 8)
        ManualRunner(run: run).runUntilIdle()
        let steps = drainAll(run).filter { $0.kind == .step }.count
        #expect(run.steps.dropped > 0)
        // Every step was either delivered or counted; the reports are all there: 3 epochs, finished.
        #expect(steps + run.steps.dropped == 3 * 16)
        #expect(run.reports.elements.map(\.kind) == [.epoch, .epoch, .epoch, .finished])
    }
}

@Suite struct RunDriverPoolTests {
    @Test func liveControlOnABackgroundThread() throws {
        let run = try makeRun(epochs: 100_000)
        let runner = RunDriverPool(threads: 2).start(run)
        var seen: [TrainingEvent] = []
        let reader = EventReader()
        func waitFor(_ kind: TrainingEvent.Kind) {
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                seen += reader.read(run)
                if seen.contains(where: { $0.kind == kind }) { return }
                usleep(500)
            }
        }
        waitFor(.step)
        _ = run.controls.push(.setLearningRate(0.02))
        waitFor(.changed)
        _ = run.controls.push(.pause)
        waitFor(.paused)
        _ = run.controls.push(.step(3))
        waitFor(.explained)
        _ = run.controls.push(.stop)
        runner.join()
        seen += reader.read(run)
        #expect(runner.isFinished && run.state == .stopped)
        let change = try #require(seen.first { $0.kind == .changed })
        #expect(change.newValue == 0.02)
        // Every step after the change used the new rate.
        let after = seen.filter { $0.kind == .step && $0.update > change.update }
        #expect(!after.isEmpty && after.allSatisfy { $0.learningRate == 0.02 })
        // Exactly three updates between the pause and the explanation.
        let paused = try #require(seen.first { $0.kind == .paused })
        let explained = try #require(seen.first { $0.kind == .explained })
        #expect(explained.update - paused.update == 3)
    }

    /// More runs than threads: each driver advances its runs in turn, every run trains to its
    /// end with its own numbers (the same as alone), and the drivers end with their runs.
    @Test func fiveRunsOnTwoThreadsEachFinishAsAlone() throws {
        let pool = RunDriverPool(threads: 2)
        let runs = try (0..<5).map { try makeRun(epochs: 3, seed: UInt64(10 + $0)) }
        let handles = runs.map { pool.start($0) }
        #expect(pool.threads <= 2)
        for h in handles { h.join() }
        #expect(runs.allSatisfy { $0.state == .finished })
        let alone = try makeRun(epochs: 3, seed: 12)
        ManualRunner(run: alone).runUntilIdle()
        let weights = { (r: TrainingRun) in r.trainer.model.parameters.flatMap { $0.value.scalars.map(\.bitPattern) } }
        #expect(weights(runs[2]) == weights(alone))
        let deadline = Date().addingTimeInterval(5)
        while pool.threads > 0 && Date() < deadline { usleep(1_000) }
        #expect(pool.threads == 0, "driver threads end with their last run")
    }
}

@Suite struct LossHistoryTests {
    @Test func boundedAndKeepsExtremes() {
        var h = LossHistory(capacity: 64)
        for i in 0..<100_000 { h.append(i == 77_777 ? 1000 : Float(i % 10)) }
        #expect(h.count == 100_000)
        #expect(h.buckets.count <= 64)
        #expect(h.buckets.map(\.count).reduce(0, +) == 100_000)
        #expect(h.buckets.map(\.max).max() == 1000)
        #expect(h.buckets.allSatisfy { $0.min == 0 || $0.count < 10 })
    }
}

/// What a diverged run comes back to, and what its timings count.
@Suite struct RecoveryAndTimingTests {
    /// A run trained sanely at lr 0.1, pushed to lr 50 and then 5,000: it diverges, and comes back
    /// to weights whose loss was sane — from before the rate that blew it up — with the rate they
    /// were trained at. (It used to restore the last finite weights, already blown up.)
    @Test func divergenceComesBackToTheLastSaneWeights() throws {
        let run = try makeRun(epochs: 1_000, paused: true, lr: 0.1)
        var events: [TrainingEvent] = []
        let reader = EventReader()
        func step(_ n: Int) {
            _ = run.controls.push(.step(n))
            ManualRunner(run: run).runUntilIdle()
            events += reader.read(run)
        }
        step(200)
        let first = try #require(run.trainer.firstLoss)
        for lr: Float in [50, 5_000, 5e5, 5e7] where !events.contains(where: { $0.kind == .diverged }) {
            _ = run.controls.push(.setLearningRate(lr))
            step(200)
        }
        let diverged = try #require(events.last { $0.kind == .diverged }, "the run diverged")
        #expect(diverged.restoredUpdate >= 0, "a sane checkpoint was kept")
        #expect(diverged.restoredLoss <= 2 * first, "its loss was sane")
        #expect(diverged.restoredLearningRate < diverged.learningRate, "trained at a smaller rate than the one that diverged")
        #expect(diverged.restoredUpdate > 0, "not the start: weights trained at a rate that worked")
        let loss = run.trainer.evaluate(x: run.trainer.x, y: run.trainer.y).loss
        #expect(loss.isFinite && loss <= 4 * first, "the weights back are sane: loss \(loss)")
        #expect(run.state == .paused)
    }

    /// A rate that diverges from the very start brings the starting weights back, trained at no
    /// rate: the report cannot claim any rate worked.
    @Test func divergenceFromTheStartRestoresTheStartWithNoRate() throws {
        let run = try makeRun(epochs: 1_000, paused: true, lr: 0.1)
        let start = run.trainer.model.parameters.map(\.value)
        _ = run.controls.push(.setLearningRate(1e7))
        _ = run.controls.push(.step(100))
        ManualRunner(run: run).runUntilIdle()
        let diverged = try #require(drainAll(run).last { $0.kind == .diverged })
        #expect(diverged.restoredUpdate == 0 && diverged.restoredLearningRate.isNaN)
        #expect(run.trainer.model.parameters.map(\.value) == start)
    }

    /// Time paused is not training time: the summary's updates per second stay honest.
    @Test func pausedTimeIsNotCounted() throws {
        final class Clock: @unchecked Sendable { var now = 0.0 }
        let clock = Clock()
        var rng = SeededGenerator(seed: 2)
        let data = try Dataset.synthetic(.xor, options: .init(n: 100), rng: &rng)
        let trainer = try Trainer(model: Sequential([try Dense(units: 1, activation: .sigmoid)]), loss: BinaryCrossEntropy(),
                                  optimizer: SGD(), learningRate: 0.01, x: data.features, y: data.targets, classes: 2, batchSize: 10, rng: rng)
        let run = TrainingRun(trainer: trainer, epochs: 100, validationX: data.features, validationY: data.targets,
                              clock: { clock.now })
        for _ in 0..<10 { clock.now += 0.01; _ = run.advance() }
        _ = run.controls.push(.pause)
        _ = run.advance()
        clock.now += 1_000   // a long coffee break
        _ = run.controls.push(.resume)
        for _ in 0..<10 { clock.now += 0.01; _ = run.advance() }
        var last: TrainingEvent?
        _ = run.steps.drain { if $0.kind == .step { last = $0 } }
        let seconds = try #require(last?.seconds)
        #expect(seconds < 1, "20 updates of 10 ms each, not the 1,000 s paused: \(seconds)")
    }
}

/// A clock that moves on by `step` seconds each time it is read, from a machine's uptime.
final class SteppingClock: @unchecked Sendable {
    private var now: Double
    private let step: Double
    init(from start: Double, step: Double) { (now, self.step) = (start, step) }
    func read() -> Double {
        now += step
        return now
    }
}

@Suite struct SnapshotTimingTests {
    /// Snapshots keep coming while a run trains: with a clock well past zero (as a machine's is)
    /// and a millisecond between readings, 1,000 epochs read the clock a few thousand times (at
    /// each epoch's end, every 16th update, around each snapshot): a snapshot about every 50.
    @Test func snapshotsGoOnWhileARunTrains() throws {
        let clock = SteppingClock(from: 1e6, step: 0.001)
        let run = try makeRun(epochs: 1000, clock: { clock.read() })   // 16 updates an epoch
        var seen: Set<Int> = []
        while run.advance() != .done {
            if let update = run.snapshots.latest()?.update { seen.insert(update) }
        }
        #expect(run.trainer.updates == 16_000)
        #expect(seen.count >= 20, "snapshots at updates \(seen.sorted().prefix(10))…")
    }
}
