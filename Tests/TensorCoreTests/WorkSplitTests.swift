import Foundation
import Testing
@testable import TensorCore

/// Adam split across two threads must give exactly the one-thread weights and moments.
/// Serialized: the helper thread is one for the process.
@Suite(.serialized) struct WorkSplitTests {
    /// Each half fills its own buffer with the round's number, with no lock: the caller then
    /// reads both, so ThreadSanitizer (`make tsan`) checks that `run` orders the helper's writes
    /// before the caller's reads.
    @Test func bothHalvesRunOncePerCall() {
        let a = UnsafeMutablePointer<Float>.allocate(capacity: 64), b = UnsafeMutablePointer<Float>.allocate(capacity: 64)
        defer { a.deallocate(); b.deallocate() }
        var rounds = 0
        for i in 1...2_000 {
            _ = WorkSplit.shared.run(.fill(start: a, count: 64, value: Float(i)), .fill(start: b, count: 64, value: Float(i)))
            guard a[63] == Float(i) && b[0] == Float(i) && b[63] == Float(i) else { break }
            rounds = i
        }
        #expect(rounds == 2_000)
    }

    @Test func aSplitAdamUpdateEqualsTheWholeOne() {
        let n = 3 * WorkSplit.minimumHalf + 13   // long enough to split, with a ragged end
        var rng = SeededGenerator(seed: 8)
        let g = (0..<n).map { _ in rng.uniform(-1, 1) }
        let start = (0..<n).map { _ in rng.uniform(-1, 1) }
        func update(threads: Int) -> (w: [Float], m: [Float], v: [Float], squares: Double) {
            WorkSplit.allowing(threads == 2) { update() }
        }
        func update() -> (w: [Float], m: [Float], v: [Float], squares: Double) {
            var w = start, m = [Float](repeating: 0, count: n), v = [Float](repeating: 0, count: n)
            var squares = 0.0
            for t in 1...3 {
                let k = Kernels.AdamStep(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7,
                                         correction1: 1 / (1 - pow(0.9, Float(t))),
                                         correction2: 1 / (1 - pow(0.999, Float(t))), decay: 0)
                squares = w.withUnsafeMutableBufferPointer { wb in
                    m.withUnsafeMutableBufferPointer { mb in
                        v.withUnsafeMutableBufferPointer { vb in
                            g.withUnsafeBufferPointer { gb in
                                Kernels.adam(weights: wb, gradient: gb, firstMoment: mb, secondMoment: vb, k)
                            }
                        }
                    }
                }
            }
            return (w, m, v, squares)
        }
        let whole = update(threads: 1), split = update(threads: 2)
        #expect(WorkSplit.splits(n) == false, "allowed only inside `allowing`")
        #expect(split.w.map(\.bitPattern) == whole.w.map(\.bitPattern))
        #expect(split.m.map(\.bitPattern) == whole.m.map(\.bitPattern))
        #expect(split.v.map(\.bitPattern) == whole.v.map(\.bitPattern))
        #expect(abs(split.squares - whole.squares) <= 1e-12 * whole.squares)
    }
}
