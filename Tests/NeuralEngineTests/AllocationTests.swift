import Foundation
import Testing
import TensorCore
import Datasets
@testable import NeuralEngine
import TestSupport

extension AllocationCounter {
    /// Trains `trainer` 200 steps to warm it, then exits the process with status 0 when 100 more
    /// steps allocate nothing, 1 when they allocate, 2 when counting is impossible.
    static func exitWithWarmStepVerdict(_ trainer: Trainer) -> Never {
        for _ in 0..<200 { _ = trainer.trainStep() }   // warm-up, across several epoch ends
        let n = allocations { for _ in 0..<100 { _ = trainer.trainStep() } }
        _exit(n == nil ? 2 : (n == 0 ? 0 : 1))
    }
}

/// A warm training step allocates nothing: every buffer (batch, activations, gradients, Adam's
/// moments) is created by the first steps and overwritten in place afterwards, and a short last
/// batch shrinks the batch-shaped buffers in place and the next batch grows them back into the
/// room they had (`Tensor.resize`). The runs around the steps: `WarmRunAllocationTests`.
@Suite struct AllocationTests {
    @Test func w3PlaygroundNetAllocatesNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            var rng = SeededGenerator(seed: 3)
            let data = try! Dataset.synthetic(.xor, options: .init(n: 500), rng: &rng)
            let model = try! Sequential([try! Dense(units: 8, activation: .tanh), try! Dense(units: 8, activation: .tanh),
                                         try! Dense(units: 1, activation: .sigmoid)])
            AllocationCounter.exitWithWarmStepVerdict(try! Trainer(
                model: model, loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.01,
                x: data.features, y: data.targets, classes: 2, batchSize: 10, rng: rng))
        }
    }

    @Test func reluSoftmaxStepsAllocateNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            var rng = SeededGenerator(seed: 4)
            var x = Tensor(shape: [300, 12]), y = Tensor(shape: [300, 1])
            for i in 0..<x.count { x.scalars[i] = rng.uniform(-1, 1) }
            for i in 0..<300 { y.scalars[i] = Float(rng.int(below: 3)) }
            let model = try! Sequential([try! Dense(units: 16, activation: .relu),
                                         try! Dense(units: 3, activation: .softmax)])
            AllocationCounter.exitWithWarmStepVerdict(try! Trainer(
                model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 0.001, x: x, y: y, classes: 3,
                batchSize: 30, rng: rng))
        }
    }

    @Test func leakyReluMSEStepsAllocateNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            var rng = SeededGenerator(seed: 5)
            var x = Tensor(shape: [300, 12]), y = Tensor(shape: [300, 1])
            for i in 0..<x.count { x.scalars[i] = rng.uniform(-1, 1) }
            for i in 0..<300 { y.scalars[i] = rng.uniform() }
            let model = try! Sequential([try! Dense(units: 16, activation: .leakyrelu), try! Dense(units: 1)])
            AllocationCounter.exitWithWarmStepVerdict(try! Trainer(
                model: model, loss: MeanSquaredError(), optimizer: Adam(), learningRate: 0.001, x: x, y: y, classes: nil,
                batchSize: 30, rng: rng))
        }
    }

    @Test func textClassifierStepsAllocateNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            let data = try! Dataset.reviews()
            guard case let .tokens(vocabulary, _) = data.kind else { exit(1) }
            guard data.features.rows % 32 != 0 else { _exit(3) }   // a short last batch every epoch
            AllocationCounter.exitWithWarmStepVerdict(try! Trainer(
                model: Sequential(try! Presets.textClassifier(vocabulary: vocabulary.count)),
                loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.001,
                x: data.features, y: data.targets, classes: 2,
                batchSize: 32, rng: SeededGenerator(seed: 6)))
        }
    }

    @Test func gptStepsAllocateNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            // Random digit sequences with the first half unscored, as the sort task scores them.
            var rng = SeededGenerator(seed: 8)
            var x = Tensor(shape: [256, 11]), y = Tensor(shape: [256, 11])
            for i in 0..<x.count {
                x.scalars[i] = Float(rng.int(below: 3))
                y.scalars[i] = i % 11 < 5 ? -1 : Float(rng.int(below: 3))
            }
            AllocationCounter.exitWithWarmStepVerdict(try! Trainer(
                model: Sequential(try! Presets.gpt(vocabulary: 3, block: 11, layers: 2)),
                loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 5e-4,
                x: x, y: y, classes: 3, batchSize: 64, rng: SeededGenerator(seed: 9)))
        }
    }

    /// The digits CNN (W2): the convolution writes its product straight into its 4-D output and
    /// pooling keeps its shape, so no shape array is built per step.
    @Test func cnnStepsAllocateNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            var rng = SeededGenerator(seed: 10)
            var x = Tensor(shape: [100, 8, 8, 1]), y = Tensor(shape: [100, 1])
            for i in 0..<x.count { x.scalars[i] = rng.uniform(0, 1) }
            for i in 0..<100 { y.scalars[i] = Float(rng.int(below: 10)) }   // 100 = 3 batches of 32, then 4
            AllocationCounter.exitWithWarmStepVerdict(try! Trainer(
                model: try! Sequential(try! Presets.cnn(inputShape: [8, 8, 1], classes: 10)),
                loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 0.005, x: x, y: y, classes: 10,
                batchSize: 32, rng: rng))
        }
    }

    /// Adam over a 76,800-value weight split across two threads (`WorkSplit`): the hand-over to
    /// the helper thread allocates nothing either (the hook counts every thread's allocations).
    @Test func splitAdamStepsAllocateNothingOnceWarm() async {
        await #expect(processExitsWith: .success) {
            var rng = SeededGenerator(seed: 7)
            var x = Tensor(shape: [256, 300]), y = Tensor(shape: [256, 1])
            for i in 0..<x.count { x.scalars[i] = rng.uniform(-1, 1) }
            for i in 0..<256 { y.scalars[i] = Float(rng.int(below: 4)) }
            let model = try! Sequential([try! Dense(units: 256, activation: .relu),
                                         try! Dense(units: 4, activation: .softmax)])
            let trainer = try! Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 0.001, x: x, y: y,
                                       classes: 4, batchSize: 32, rng: rng)
            WorkSplit.allowing(true) { AllocationCounter.exitWithWarmStepVerdict(trainer) }
        }
    }
}
