import Testing
import Foundation
import TensorCore
import NeuralEngine
import Datasets
import TestSupport
@testable import Training

/// The learner's path allocates nothing per warm update either: `TrainingRun.advance()` with
/// everything `train` does around the engine (the step ring, the epoch tally, the divergence
/// guard's checkpoints, each epoch's validation and its report), the last batch of an epoch
/// shorter than the others. The clock stands still, so after the first snapshot no other is
/// due: a snapshot is a new value handed to the front end, made at most every 50 ms, not per
/// update. In a child process, as `AllocationCounter` requires.
@Suite struct WarmRunAllocationTests {
    /// Advances `run` 300 times to warm it (several epoch ends), then exits 0 when 200 more
    /// advances allocate at most `perEpochEnd` times at each epoch end they pass, at most
    /// `perHeadReading` times at each reading of a GPT's heads (every few dozen updates: a new
    /// value for the front end, like a snapshot) and nothing else, 1 when they allocate more,
    /// 2 when counting is impossible.
    static func exitWithWarmRunVerdict(_ run: TrainingRun, perEpochEnd: Int = 0, perHeadReading: Int = 0) -> Never {
        for _ in 0..<300 { _ = run.advance() }
        let epochs = run.trainer.epochs, readings = run.headReadings?.taken ?? 0
        let n = AllocationCounter.allocations { for _ in 0..<200 { _ = run.advance() } }
        let allowed = (run.trainer.epochs - epochs) * perEpochEnd + ((run.headReadings?.taken ?? 0) - readings) * perHeadReading
        _exit(n == nil ? 2 : (n! <= allowed ? 0 : 1))
    }

    /// A classifier's only allocations are its evaluation's result: each epoch's confusion
    /// matrix (2 classes: an array of 2 rows, 3 arrays). Every buffer is kept.
    @Test func anMLPRunAllocatesOnlyItsConfusionMatricesOnceWarm() async {
        await #expect(processExitsWith: .success) {
            var rng = SeededGenerator(seed: 3)
            let data = try! Dataset.synthetic(.spiral, options: .init(n: 500), rng: &rng)
            let (train, validation) = try! data.split(trainFraction: 0.8, rng: &rng)   // 400: 12 batches of 32, then 16
            let model = try! Sequential([try! Dense(units: 16, activation: .tanh), try! Dense(units: 1, activation: .sigmoid)])
            let trainer = try! Trainer(model: model, loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.01,
                                       x: train.features, y: train.targets, classes: 2, batchSize: 32, rng: rng)
            Self.exitWithWarmRunVerdict(TrainingRun(trainer: trainer, epochs: 1000, validationX: validation.features,
                                                    validationY: validation.targets, clock: { 0 }), perEpochEnd: 3)
        }
    }

    /// A sequence model's evaluation is counts alone: nothing at all, epoch ends included; its
    /// heads' readings only their results (scores, the probe's losses, the history's point:
    /// between 21 and 30 allocations each here, with 2 blocks of 3 heads).
    @Test func aGPTRunAllocatesNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            // Random digit sequences with the first half unscored, as the sort task scores them.
            var rng = SeededGenerator(seed: 8)
            func sequences(_ n: Int) -> (Tensor, Tensor) {
                var x = Tensor(shape: [n, 11]), y = Tensor(shape: [n, 11])
                for i in 0..<x.count {
                    x.scalars[i] = Float(rng.int(below: 3))
                    y.scalars[i] = i % 11 < 5 ? -1 : Float(rng.int(below: 3))
                }
                return (x, y)
            }
            let (x, y) = sequences(200), (vx, vy) = sequences(50)   // 200: 3 batches of 64, then 8
            let trainer = try! Trainer(model: Sequential(try! Presets.gpt(vocabulary: 3, block: 11, layers: 2)),
                                       loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 5e-4,
                                       x: x, y: y, classes: 3, batchSize: 64, rng: SeededGenerator(seed: 9))
            Self.exitWithWarmRunVerdict(TrainingRun(trainer: trainer, epochs: 1000, validationX: vx, validationY: vy,
                                                    clock: { 0 }), perHeadReading: 32)
        }
    }
}
