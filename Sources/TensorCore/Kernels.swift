import CBLAS

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

    /// Values with |x| below the smallest normal float become 0. Subnormal moments (a weight
    /// whose gradient stays 0, e.g. behind a dead ReLU, decays m by β₁ each step into the
    /// subnormal range) cost a microcode assist per operation: W1 ran 1.5x slower with them.
    @inline(__always) static func flushSubnormal(_ x: Lanes) -> Lanes {
        let tiny = Lanes(repeating: .leastNormalMagnitude)
        return x.replacing(with: 0, where: (x .< tiny) .& (x .> -tiny))
    }

    @inline(__always) static func flushSubnormal(_ x: Float) -> Float {
        abs(x) < .leastNormalMagnitude ? 0 : x
    }

    /// One Adam/AdamW update of `count` elements (see `Adam` for the formula):
    ///
    ///     m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g g   (subnormal results flushed to 0)
    ///     w ← w − η (m c₁ / (√(v c₂) + ε) + λ w)           c₁ = 1/(1 − β₁ᵗ), c₂ = 1/(1 − β₂ᵗ)
    /// All four buffers hold `weights.count` elements.
    public static func adam(weights: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
                            firstMoment: UnsafeMutableBufferPointer<Float>,
                            secondMoment: UnsafeMutableBufferPointer<Float>,
                            learningRate lr: Float, beta1 b1: Float, beta2 b2: Float, epsilon eps: Float,
                            correction1 c1: Float, correction2 c2: Float, decay: Float) {
        let count = weights.count
        precondition(gradient.count == count && firstMoment.count == count && secondMoment.count == count,
                     "adam: buffers of unequal length")
        guard count > 0, let w = weights.baseAddress, let g = gradient.baseAddress,
              let m = firstMoment.baseAddress, let v = secondMoment.baseAddress else { return }
        let ob1 = 1 - b1, ob2 = 1 - b2
        var i = 0
        while i + Lanes.scalarCount <= count {
            let gi = load(g, i)
            let mi = flushSubnormal(b1 * load(m, i) + ob1 * gi)
            let vi = flushSubnormal(b2 * load(v, i) + ob2 * gi * gi)
            let wi = load(w, i)
            let mHat = mi * c1, vHat = vi * c2
            store(mi, m, i)
            store(vi, v, i)
            store(wi - lr * (mHat / (descent_sqrt8(vHat) + eps) + decay * wi), w, i)
            i += Lanes.scalarCount
        }
        while i < count {
            m[i] = flushSubnormal(b1 * m[i] + ob1 * g[i])
            v[i] = flushSubnormal(b2 * v[i] + ob2 * g[i] * g[i])
            let mHat = m[i] * c1, vHat = v[i] * c2
            w[i] -= lr * (mHat / (vHat.squareRoot() + eps) + decay * w[i])
            i += 1
        }
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
