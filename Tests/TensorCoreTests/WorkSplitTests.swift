import Foundation
import Testing
@testable import TensorCore

/// Adam split across two threads must give exactly the one-thread weights and moments.
/// Serialized: `WorkSplit.threads` is process-wide.
@Suite(.serialized) struct WorkSplitTests {
    /// Each half writes its own counter with no lock: ThreadSanitizer (`make tsan`) checks that
    /// `run` orders the helper's writes before the caller reads them.
    @Test func bothHalvesRunOncePerCall() {
        var first = 0, second = 0
        for i in 0..<2_000 {
            WorkSplit.shared.run { part in
                if part == 0 { first += 1 } else { second += 1 }
            }
            if first != i + 1 || second != i + 1 { break }
        }
        #expect(first == 2_000 && second == 2_000)
    }

    @Test func aSplitAdamUpdateEqualsTheWholeOne() {
        let n = 3 * WorkSplit.minimumHalf + 13   // long enough to split, with a ragged end
        var rng = SeededGenerator(seed: 8)
        let g = (0..<n).map { _ in rng.uniform(-1, 1) }
        let start = (0..<n).map { _ in rng.uniform(-1, 1) }
        func update(threads: Int) -> (w: [Float], m: [Float], v: [Float], squares: Double) {
            WorkSplit.threads = threads
            defer { WorkSplit.threads = 1 }
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
        #expect(WorkSplit.splits(n) == false, "threads are back to 1")
        #expect(split.w.map(\.bitPattern) == whole.w.map(\.bitPattern))
        #expect(split.m.map(\.bitPattern) == whole.m.map(\.bitPattern))
        #expect(split.v.map(\.bitPattern) == whole.v.map(\.bitPattern))
        #expect(abs(split.squares - whole.squares) <= 1e-12 * whole.squares)
    }
}
