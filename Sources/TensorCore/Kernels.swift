import CBLAS
import CKernels

/// Hot elementwise loops written over `SIMD8<Float>`, for the training loop's per-step work.
///
/// Swift does not vectorise loops over several `UnsafeMutableBufferPointer`s by itself (it cannot
/// prove they do not alias), so these kernels load and store eight lanes at a time. Each lane
/// performs exactly the scalar formula's operations in the same order (no fused multiply-add),
/// so results are bit for bit those of the scalar loops they replace.
public enum Kernels {
    public typealias Lanes = SIMD8<Float>

    @inlinable @inline(__always) static func load(_ p: UnsafePointer<Float>, _ i: Int) -> Lanes {
        UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
    }

    @inlinable @inline(__always) static func store(_ x: Lanes, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: x, as: Lanes.self)
    }

    /// Adam's constants for one update: η, β₁, β₂, ε, λ and the bias corrections
    /// c₁ = 1/(1 − β₁ᵗ), c₂ = 1/(1 − β₂ᵗ).
    public struct AdamStep {
        public var learningRate, beta1, beta2, epsilon, correction1, correction2, decay: Float
        public init(learningRate: Float, beta1: Float, beta2: Float, epsilon: Float,
                    correction1: Float, correction2: Float, decay: Float) {
            self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
            self.epsilon = epsilon; self.correction1 = correction1; self.correction2 = correction2
            self.decay = decay
        }

        public var c: descent_adam_step {
            descent_adam_step(learning_rate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                              correction1: correction1, correction2: correction2, decay: decay)
        }
    }

    /// One Adam/AdamW update of `count` elements (see `Adam` for the formula):
    ///
    ///     m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g g   (subnormal results flushed to 0)
    ///     w ← w − η (m c₁ / (√(v c₂) + ε) + λ w)           c₁ = 1/(1 − β₁ᵗ), c₂ = 1/(1 − β₂ᵗ)
    /// All four buffers hold `weights.count` elements. Returns Σ g², read in the same pass (the
    /// trainer's gradient norm). The loop is C, built for baseline x86-64 and for AVX2
    /// (`CKernels.h`): twice the lanes per instruction where the CPU has them, the same bits.
    /// A long update is split across two threads where `WorkSplit.allowing` permits it.
    @discardableResult
    public static func adam(weights: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                            firstMoment: UnsafeMutableBufferPointer<Float>,
                            secondMoment: UnsafeMutableBufferPointer<Float>, _ k: AdamStep) -> Double {
        let count = weights.count
        precondition(gradient.count == count && firstMoment.count == count && secondMoment.count == count,
                     "adam: buffers of unequal length")
        guard count > 0, let w = weights.baseAddress, let g = gradient.baseAddress,
              let m = firstMoment.baseAddress, let v = secondMoment.baseAddress else { return 0 }
        guard WorkSplit.splits(count) else { return descent_adam(w, g, m, v, count, k.c) }
        // Two halves at once (the first a multiple of eight long); the same element results.
        let half = count / 2 & ~7
        let sums = WorkSplit.shared.run(
            .adam(w: w, g: g, m: m, v: v, count: half, step: k.c),
            .adam(w: w + half, g: g + half, m: m + half, v: v + half, count: count - half, step: k.c))
        return sums.0 + sums.1
    }

    /// Σ x² accumulated in Double, eight lanes at a time (the lanes are added at the end, so the
    /// sum can differ from a sequential one in the last bits of the Double, not of a Float).
    public static func sumOfSquares(_ x: UnsafeBufferPointer<Float>) -> Double {
        guard let p = x.baseAddress else { return 0 }
        var acc = SIMD8<Double>(repeating: 0)
        var i = 0
        while i + Lanes.scalarCount <= x.count {
            let d = SIMD8<Double>(load(p, i))
            acc += d * d
            i += Lanes.scalarCount
        }
        var s = acc.sum()
        while i < x.count { s += Double(p[i]) * Double(p[i]); i += 1 }
        return s
    }
}
