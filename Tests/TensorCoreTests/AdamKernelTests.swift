import Foundation
import Testing
import CKernels
@testable import TensorCore

/// The Adam kernel is C compiled twice (baseline and AVX2, chosen at run time): both builds and
/// the scalar formula must give the same bits, or results would depend on the machine.
@Suite struct AdamKernelTests {
    /// Scalar Adam exactly as documented, including the flush of subnormal moments.
    static func reference(_ w: inout [Float], _ g: [Float], _ m: inout [Float], _ v: inout [Float],
                          _ k: Kernels.AdamStep) {
        func flush(_ x: Float) -> Float { abs(x) < .leastNormalMagnitude ? 0 : x }
        for i in w.indices {
            m[i] = flush(k.beta1 * m[i] + (1 - k.beta1) * g[i])
            v[i] = flush(k.beta2 * v[i] + (1 - k.beta2) * g[i] * g[i])
            let mHat = m[i] * k.correction1, vHat = v[i] * k.correction2
            w[i] -= k.learningRate * (mHat / (vHat.squareRoot() + k.epsilon) + k.decay * w[i])
        }
    }

    /// 1,003 elements (a tail after the eight-lane blocks) of weights, gradients that are often
    /// zero, and moments that decay into the subnormal range.
    static func state(seed: UInt64) -> (w: [Float], g: [Float], m: [Float], v: [Float]) {
        var rng = SeededGenerator(seed: seed)
        let n = 1003
        let w = (0..<n).map { _ in rng.uniform(-1, 1) }
        let g = (0..<n).map { i in i % 3 == 0 ? 0 : rng.uniform(-2, 2) }
        let m = (0..<n).map { i in i % 5 == 0 ? Float.leastNormalMagnitude * 1.05 : rng.uniform(-0.1, 0.1) }
        let v = (0..<n).map { i in i % 7 == 0 ? Float.leastNormalMagnitude * 1.0005 : rng.uniform(0, 0.1) }
        return (w, g, m, v)
    }

    @Test(arguments: [0, 1])
    func bothBuildsMatchTheScalarFormulaBitForBit(wide: Int32) {
        // (Where the CPU lacks AVX2, wide = 1 runs the baseline build again.)
        var (w, g, m, v) = Self.state(seed: 9)
        var (rw, rm, rv) = (w, m, v)
        var sums: [Double] = []
        for t in 1...5 {
            let k = Kernels.AdamStep(learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7,
                                     correction1: 1 / (1 - pow(0.9, Float(t))),
                                     correction2: 1 / (1 - pow(0.999, Float(t))), decay: t % 2 == 0 ? 0.004 : 0)
            w.withUnsafeMutableBufferPointer { wb in
                m.withUnsafeMutableBufferPointer { mb in
                    v.withUnsafeMutableBufferPointer { vb in
                        sums.append(descent_adam_variant(wide, wb.baseAddress, g, mb.baseAddress, vb.baseAddress,
                                                         wb.count, k.c))
                    }
                }
            }
            Self.reference(&rw, g, &rm, &rv, k)
        }
        #expect(w.map(\.bitPattern) == rw.map(\.bitPattern))
        #expect(m.map(\.bitPattern) == rm.map(\.bitPattern))
        #expect(v.map(\.bitPattern) == rv.map(\.bitPattern))
        let squares = g.reduce(0.0) { $0 + Double($1) * Double($1) }
        #expect(sums.allSatisfy { abs($0 - squares) <= 1e-12 * squares }, "Σ g² read on the way: \(sums) vs \(squares)")
        #expect(m.contains(0) && m.allSatisfy { $0 == 0 || abs($0) >= .leastNormalMagnitude },
                "subnormal moments are flushed")
    }
}

extension AdamKernelTests {
    @Test func bothBuildsReturnTheSameGradientSquares() {
        let (w, g, m, v) = Self.state(seed: 21)
        let k = Kernels.AdamStep(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7,
                                 correction1: 10, correction2: 1000, decay: 0)
        let sums = [Int32(0), 1].map { wide in
            var (w, m, v) = (w, m, v)
            return descent_adam_variant(wide, &w, g, &m, &v, w.count, k.c)
        }
        #expect(sums[0].bitPattern == sums[1].bitPattern)
    }
}
