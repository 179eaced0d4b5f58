import Testing
import Foundation
import TensorCore
import NeuralEngine
import Datasets
@testable import Training

/// Each piece of a run's per-update bookkeeping on its own, without a thread or a run around it.
@Suite struct RunPartsTests {
    @Test func pacingSpacesUpdatesAndCatchesUpAtMostOne() {
        var pacing = Pacing(rate: 10)
        #expect(pacing.wait(at: 0) == nil, "the first update is due at once")
        pacing.updated(at: 0)
        #expect(pacing.wait(at: 0.05) == 0.01, "waits are at most 10 ms, to stay responsive")
        #expect(pacing.wait(at: 0.1) == nil)
        pacing.updated(at: 5)   // late by a long pause: one update may catch up, not 50
        #expect(pacing.wait(at: 5) == nil)
        pacing.updated(at: 5)
        #expect(pacing.wait(at: 5.05) != nil && pacing.wait(at: 5.1) == nil)
        let old = pacing.set(0)
        #expect(old == 10 && !pacing.isPaced && pacing.wait(at: 5.01) == nil)
    }

    @Test func epochTallyIsTheMeanAndStartsAgain() {
        var tally = EpochTally()
        for loss: Float in [1, 2, 3] { tally.add(loss) }
        let first = tally.close()
        tally.add(5)
        let second = tally.close()
        #expect(first == 2 && second == 5)
    }

    @Test func earlyStoppingKeepsTheBestWeightsAndCountsPatience() throws {
        let p = Parameter(name: "w", value: try Tensor(shape: [2], scalars: [1, 1]), isRegularized: true)
        var stopping = EarlyStopping(patience: 2)
        var stops = [stopping.observe(0.5, epoch: 1, parameters: [p])]
        p.value.scalars = [2, 2]
        stops.append(stopping.observe(0.4, epoch: 2, parameters: [p]))   // best: [2, 2]
        p.value.scalars = [3, 3]
        stops.append(stopping.observe(0.6, epoch: 3, parameters: [p]))
        stops.append(stopping.observe(0.7, epoch: 4, parameters: [p]))
        #expect(stops == [false, false, false, true], "stops after two epochs without a better loss")
        #expect(stopping.hasBetter(than: 4) && !stopping.hasBetter(than: 2))
        stopping.restore(into: [p])
        #expect(p.value.scalars == [2, 2] && stopping.bestEpoch == 2 && stopping.bestLoss == 0.4)
    }

    @Test func plateauCutsAfterPatienceEpochsAndStartsCountingAgain() {
        var plateau = PlateauSchedule(patience: 2, factor: 0.5)
        #expect([1.0, 0.9, 0.95, 0.92, 0.93, 0.94].map { plateau.observe($0) } == [false, false, false, true, false, true])
    }

    @Test func updateRatiosMeasureOneArmedUpdate() throws {
        let p = Parameter(name: "w", value: try Tensor(shape: [2], scalars: [3, 4]), isRegularized: true)
        var ratios = UpdateRatios()
        let measured = ratios.keepBefore([p])
        p.value.scalars = [3, 4.5]   // ‖Δw‖ = 0.5, ‖w‖ = 5
        ratios.measure([p])
        #expect(measured && abs(ratios.ratios[0] - 0.1) < 1e-6)
        let again = ratios.keepBefore([p])
        ratios.arm()
        let armed = ratios.keepBefore([p])
        #expect(!again && armed, "disarmed until the next snapshot")
    }

    @Test func stepRequestCountsDownAndKnowsWhichUpdateItExplains() throws {
        var request = StepRequest()
        request.add(2)
        let first = (request.explainsNext, request.madeOne())
        let second = (request.explainsNext, request.madeOne())
        let third = request.madeOne()
        #expect(first == (false, false) && second == (true, true) && request.pending == 0)
        #expect(!third, "nothing pending: no update was asked for")
        let p = Parameter(name: "w", value: try Tensor(shape: [3], scalars: [1, 2, 3]), isRegularized: true)
        request.watched = (0, 2)
        #expect(request.watchedValue(in: [p]) == 3)
        request.watched = (0, 3)
        #expect(request.watchedValue(in: [p]) == nil)
    }

    /// Rule 3: a loss that stays far above the sane one for `window` updates in a row is a
    /// divergence; one good update in between starts the count again.
    @Test func aBlowUpThatStaysFiniteIsCaught() throws {
        let run = try makeRun(epochs: 100, paused: true, lr: 0.1)
        _ = run.controls.push(.step(200))
        ManualRunner(run: run).runUntilIdle()   // trained: a sane checkpoint with a small loss
        var guardian = DivergenceGuard(run.trainer)
        for _ in 0..<64 { _ = guardian.observe(result(0.1), of: run.trainer) }
        guardian.saveIfSane(run.trainer)
        let far = result(100)   // finite, not exploding 10⁴-fold, but 1000 times the sane loss
        #expect(!DivergenceGuard.exploded(far, firstLoss: run.trainer.firstLoss!))
        var verdicts = (1..<DivergenceGuard.window).map { _ in guardian.observe(far, of: run.trainer) }
        verdicts.append(guardian.observe(result(0.1), of: run.trainer))   // a sane update starts the count again
        verdicts += (1..<DivergenceGuard.window).map { _ in guardian.observe(far, of: run.trainer) }
        #expect(verdicts.allSatisfy { !$0 })
        let last = guardian.observe(far, of: run.trainer)
        #expect(last, "the window's last update")
    }

    func result(_ loss: Float) -> StepResult { StepResult(loss: loss, gradientNorm: 0, learningRate: 0.1, endedEpoch: false) }

    /// `undo` puts back the weights, the optimizer's state and the setting from before the last
    /// change, and says so; a second `undo` has nothing left to take back.
    @Test func undoTakesBackTheLastChange() throws {
        let run = try makeRun(epochs: 100, paused: true, lr: 0.1)
        _ = run.controls.push(.step(30))
        ManualRunner(run: run).runUntilIdle()
        let before = run.trainer.model.parameters.map(\.value)
        _ = run.controls.push(.setLearningRate(3))
        _ = run.controls.push(.step(20))
        ManualRunner(run: run).runUntilIdle()
        #expect(run.trainer.model.parameters.map(\.value) != before && run.trainer.learningRate == 3)
        run.control(.undo)
        #expect(run.trainer.model.parameters.map(\.value) == before && run.trainer.learningRate == 0.1)
        run.control(.undo)
        let undone = run.reports.elements.filter { $0.kind == .undone }
        #expect(undone.map(\.restoredUpdate) == [30, -1])
        #expect(undone[0].setting == .learningRate && undone[0].oldValue == 0.1 && undone[0].update == 50)
    }

    /// The blow-up a learner hit: moons, tanh, momentum 0.9; 200 updates at lr 0.1, then lr 500
    /// saturates the units (a finite loss of hundreds, gradient 0). The run catches it, goes back
    /// to the weights from before the change, and trains on at lr 0.1.
    @Test func theLearnersBlowUpIsCaughtAndTheRunRecovers() throws {
        var rng = SeededGenerator(seed: 1)
        let data = try Dataset.synthetic(.moons, options: .init(n: 300), rng: &rng)
        let (train, validation) = try data.split(trainFraction: 0.8, rng: &rng)
        let trainer = try Trainer(model: Sequential([try Dense(units: 8, activation: .tanh), try Dense(units: 1, activation: .sigmoid)]),
                                  loss: BinaryCrossEntropy(), optimizer: Momentum(momentum: 0.9), learningRate: 0.1,
                                  x: train.features, y: train.targets, classes: 2, batchSize: 32, rng: rng)
        let run = TrainingRun(trainer: trainer, epochs: 0, validationX: validation.features, validationY: validation.targets,
                              paused: true)
        func step(_ n: Int) {
            run.control(.step(n))
            ManualRunner(run: run).runUntilIdle()
        }
        step(200)
        let sane = trainer.evaluate(x: train.features, y: train.targets).loss
        run.control(.setLearningRate(500))
        step(50)
        let diverged = try #require(run.reports.elements.first { $0.kind == .diverged }, "the blow-up is caught")
        #expect(diverged.loss.isFinite && diverged.restoredUpdate == 200)
        #expect(trainer.evaluate(x: train.features, y: train.targets).loss <= sane * 1.0001, "the weights from before lr 500")
        run.control(.setLearningRate(0.1))
        step(50)
        #expect(trainer.evaluate(x: train.features, y: train.targets).loss < 2 * sane, "trains on sanely at lr 0.1")
    }
}

@Suite struct SnapshotScheduleTests {
    /// Cheap snapshots come every period; a costly one waits long enough to stay within 2.5 %.
    @Test func snapshotsStayWithinTheirShareOfTheRun() {
        var schedule = SnapshotSchedule(period: 0.05)
        #expect(schedule.isDue(at: 0))
        schedule.made(at: 0, taking: 0.001)
        #expect(!schedule.isDue(at: 0.049) && schedule.isDue(at: 0.05))
        schedule.made(at: 1, taking: 0.01)   // 10 ms: at least 390 ms of training follow
        #expect(!schedule.isDue(at: 1.38) && schedule.isDue(at: 1.39))
    }
}

@Suite struct EvaluationSampleTests {
    /// A split no larger than the limit is evaluated whole; a larger one gives every k-th row, the
    /// first and the spread kept, and the limit grows with what was trained and with a cheap model.
    @Test func aLargeSplitGivesEvenlySpreadRows() throws {
        let x = try Tensor(rows: (0..<1000).map { [Float($0)] }), y = try Tensor(rows: (0..<1000).map { [Float(-$0)] })
        #expect(EvaluationSample(x: x, y: y, trainingSamples: 16_000, forward: 1 << 20).isAll)
        let sample = EvaluationSample(x: x, y: y, trainingSamples: 3_200, forward: 1 << 20)   // a 32nd: 100
        #expect(sample.count == 100 && sample.total == 1000 && !sample.isAll)
        #expect(sample.x.rows == 100 && sample.x[0, 0] == 0 && sample.x[1, 0] == 10 && sample.x[99, 0] == 990)
        #expect(sample.y[1, 0] == -10 && sample.y[99, 0] == -990, "the targets of the same rows")
        #expect(EvaluationSample.limit(training: 0, forward: 1 << 30) == 64)
        #expect(EvaluationSample.limit(training: 0, forward: 1 << 14) == 1024, "2²⁴ multiply-adds' worth")
    }
}

@Suite struct ValidationStrideTests {
    /// About 200 validations a run, every printed epoch and the last among them.
    @Test func aboutTwoHundredValidationsARun() {
        for epochs in [10, 399, 400, 4310, 16_000, 100_000] {
            let stride = ValidationStride(printingEvery: max(1, epochs / 10))
            let validated = (1...epochs).filter { stride.validates(epoch: $0, last: $0 == epochs) }
            #expect(epochs < 400 ? validated.count == epochs : (190...220).contains(validated.count), "\(epochs): \(validated.count)")
            let kept = Set(validated)
            #expect((1...epochs).allSatisfy { $0 % stride.printed != 0 || kept.contains($0) }, "every printed epoch")
            #expect(validated.last == epochs)
        }
        #expect(ValidationStride(printingEvery: 1600).every == 80)
        #expect(ValidationStride.everyEpoch.validates(epoch: 7, last: false))
    }
}
