import Foundation
import TensorCore
import NeuralEngine

/// W1's batch of 128 split across two threads by hand, each running OpenBLAS on one thread.
///
/// Two copies of the model start from the same seed. Each step, the helper thread computes the
/// gradient of the second half of the batch on its copy while the calling thread computes the
/// first half's on the trainer's own model; the calling thread then averages the two gradients
/// (the mean loss over 128 samples is the mean of the two halves' means), runs Adam once and
/// copies the new weights into the helper's copy. Same mathematics as one batch of 128, so its
/// rate compares with `ThreadScaling`'s 1- and 2-BLAS-thread figures.
final class BatchSplit: @unchecked Sendable {
    private let own: Trainer
    private let other: Trainer
    private let go = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private var stopping = false            // written before `go.signal()`, read after `go.wait()`
    private var order: [Int]
    private var rng = SeededGenerator(seed: 17)
    private var ownX = Tensor(shape: [0]), ownY = Tensor(shape: [0])
    private var otherX = Tensor(shape: [0]), otherY = Tensor(shape: [0])
    private var ownGradient = Tensor(shape: [0]), otherGradient = Tensor(shape: [0])
    private var worker: Thread?

    init(_ workload: Workload) {
        own = workload.makeTrainer()
        other = workload.makeTrainer()
        order = Array(0..<own.sampleCount)
        let thread = Thread { [unowned self] in
            while true {
                go.wait()
                if stopping { break }
                halfStep(other, otherX, otherY, &otherGradient)
                done.signal()
            }
            done.signal()
        }
        thread.name = "batch split"
        worker = thread
        thread.start()
    }

    /// Stops the helper thread (call once, when done).
    func stop() {
        stopping = true
        go.signal()
        done.wait()
    }

    /// One epoch over the data in batches of `batch`, returning samples per second.
    func timedEpoch(batch: Int) -> Double {
        order.shuffle(using: &rng)
        let start = DispatchTime.now().uptimeNanoseconds
        var s = 0
        while s < order.count {
            let end = min(s + batch, order.count), middle = (s + end + 1) / 2
            own.x.gatherRows(order[s..<middle], into: &ownX)
            own.y.gatherRows(order[s..<middle], into: &ownY)
            own.x.gatherRows(order[middle..<end], into: &otherX)
            own.y.gatherRows(order[middle..<end], into: &otherY)
            go.signal()
            halfStep(own, ownX, ownY, &ownGradient)
            done.wait()
            combineAndUpdate(ownShare: Float(middle - s) / Float(end - s))
            s = end
        }
        return Double(order.count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    private func halfStep(_ t: Trainer, _ x: Tensor, _ y: Tensor, _ g: inout Tensor) {
        let output = try! t.model.forward(x, training: true)
        _ = t.loss.loss(output, y, gradient: &g)
        t.model.backward(g)
    }

    /// g = share·g_own + (1 − share)·g_other (each half's loss is a mean over its own rows);
    /// one Adam update; the helper's copy takes the new weights.
    private func combineAndUpdate(ownShare: Float) {
        let mine = own.model.parameters, theirs = other.model.parameters
        for (p, q) in zip(mine, theirs) {
            p.gradient.scale(by: ownShare)
            p.gradient.add(q.gradient, scaledBy: 1 - ownShare)
        }
        own.optimizer.update(mine, learningRate: own.learningRate)
        for (p, q) in zip(mine, theirs) { q.value.assign(p.value) }
    }
}
