import Foundation
import Testing
import TensorCore
import Datasets
@testable import NeuralEngine

/// Counts Swift heap allocations through the runtime's `_swift_allocObject` hook (the pointer
/// every `swift_allocObject` goes through; arrays, class instances, boxes and closure contexts
/// all allocate there; OpenBLAS allocates nothing per product).
///
/// Only in a child process (an exit test): on Swift 6.3 for Linux, setting the hook arms the
/// runtime's swizzling flag, and retains then go through `_swift_retain_adapterImpl`, which
/// mis-handles small-string payloads and crashes (fixed upstream after 6.3.3). In the child
/// nothing but the training loop runs while the hook is set, and the flag is disarmed after.
enum AllocationCounter {
    typealias Allocate = @convention(c) (UnsafeRawPointer?, Int, Int) -> UnsafeMutableRawPointer?
    nonisolated(unsafe) static var original: Allocate?
    nonisolated(unsafe) static var count = 0

    /// Allocations while `body` runs, or nil when the runtime does not export the hook.
    static func allocations(during body: () -> Void) -> Int? {
        let everything = UnsafeMutableRawPointer(bitPattern: 0)   // RTLD_DEFAULT
        guard let hook = dlsym(everything, "_swift_allocObject"),
              let flag = dlsym(everything, "_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly")
        else { return nil }
        let slot = hook.assumingMemoryBound(to: Optional<Allocate>.self)
        count = 0
        original = slot.pointee
        slot.pointee = { metadata, size, alignment in
            AllocationCounter.count &+= 1
            return AllocationCounter.original!(metadata, size, alignment)
        }
        body()
        slot.pointee = original
        flag.assumingMemoryBound(to: Bool.self).pointee = false
        return count
    }

    /// Trains `trainer` 200 steps to warm it, then exits the process with status 0 when 100 more
    /// steps allocate nothing, 1 when they allocate, 2 when counting is impossible.
    static func exitWithWarmStepVerdict(_ trainer: Trainer) -> Never {
        for _ in 0..<200 { _ = trainer.trainStep() }   // warm-up, across several epoch ends
        let n = allocations { for _ in 0..<100 { _ = trainer.trainStep() } }
        _exit(n == nil ? 2 : (n == 0 ? 0 : 1))
    }
}

/// A warm training step allocates nothing: every buffer (batch, activations, gradients, Adam's
/// moments) is created by the first steps and overwritten in place afterwards. (Batches divide
/// the sample count here: a short last batch still resizes the batch-shaped buffers, twice per
/// epoch, see Docs/performance.md.)
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
            let count = data.features.rows / 32 * 32   // whole batches: see the note above
            AllocationCounter.exitWithWarmStepVerdict(try! Trainer(
                model: Sequential(try! Presets.textClassifier(vocabulary: vocabulary.count)),
                loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.001,
                x: data.features.rows(0..<count), y: data.targets.rows(0..<count), classes: 2,
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
