// Activation kernels over eight lanes, used by NeuralEngine's `Activation` and `Dense`.
// `@inlinable` so that a lane function passed as a closure is specialised into the caller.

extension Kernels {
    /// max(0, x); NaN stays NaN, as in the scalar loop `if x < 0 { x = 0 }`.
    @inlinable public static func relu(_ x: Lanes) -> Lanes {
        x.replacing(with: 0, where: x .< 0)
    }

    /// x for x ≥ 0, slope · x below.
    @inlinable public static func leakyRelu(_ x: Lanes, slope: Float) -> Lanes {
        x.replacing(with: x * slope, where: x .< 0)
    }

    /// tanh x as XLA and Eigen compute it on CPUs: a 13/6 odd/even rational minimax fit on
    /// [−7.905, 7.905] (±1 beyond after rounding), x itself for |x| < 0.0004. Within 6 ulp
    /// (3.8e-7 absolute, measured in TensorCoreTests) of the exact tanh everywhere; NaN
    /// propagates. About 10x faster than libm's `tanhf`, which went through `expm1f` and
    /// dominated the small-net profile.
    @inlinable public static func tanh(_ x: Lanes) -> Lanes {
        let clamp: Float = 7.90531110763549805
        var c = x.replacing(with: clamp, where: x .> clamp)
        c.replace(with: -clamp, where: c .< -clamp)
        let x2 = c * c
        var p = x2 * Lanes(repeating: -2.76076847742355e-16) + 2.00018790482477e-13
        p = x2 * p + -8.60467152213735e-11
        p = x2 * p + 5.12229709037114e-08
        p = x2 * p + 1.48572235717979e-05
        p = x2 * p + 6.37261928875436e-04
        p = x2 * p + 4.89352455891786e-03
        p = c * p
        var q = x2 * Lanes(repeating: 1.19825839466702e-06) + 1.18534705686654e-04
        q = x2 * q + 2.26843463243900e-03
        q = x2 * q + 4.89352518554385e-03
        let tiny = Lanes(repeating: 0.0004)
        return (p / q).replacing(with: x, where: (x .< tiny) .& (x .> -tiny))
    }

    /// The scalar form of the lane `tanh` (same value as each lane).
    @inlinable public static func tanh(_ x: Float) -> Float { tanh(Lanes(repeating: x))[0] }

    /// y ← f(y) over a flat buffer; the last partial group of lanes is padded with zeros.
    @inlinable public static func map(_ y: UnsafeMutableBufferPointer<Float>, _ f: (Lanes) -> Lanes) {
        guard let p = y.baseAddress else { return }
        var i = 0
        while i + Lanes.scalarCount <= y.count {
            store(f(load(p, i)), p, i)
            i += Lanes.scalarCount
        }
        if i < y.count { mapTail(p + i, count: y.count - i, f) }
    }

    /// y ← f(y + b) for each row of `columns` elements of `y`, with `b` of `columns` elements:
    /// a dense layer's bias and activation in one pass over its output.
    @inlinable public static func map(_ y: UnsafeMutableBufferPointer<Float>, addingRow b: UnsafeBufferPointer<Float>,
                                      columns: Int, _ f: (Lanes) -> Lanes) {
        guard let p = y.baseAddress, let bp = b.baseAddress, columns > 0 else { return }
        precondition(b.count == columns && y.count % columns == 0, "map(addingRow:): shapes disagree")
        // Contiguous rows are rows spaced by their own width.
        mapRows(p, rows: y.count / columns, columns: columns, stride: columns, addingRow: bp, f)
    }

    /// out ← f(a, b) elementwise (an activation's backward pass: a = y, b = dy).
    @inlinable public static func map(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
                                      into out: UnsafeMutableBufferPointer<Float>, _ f: (Lanes, Lanes) -> Lanes) {
        precondition(a.count == out.count && b.count == out.count, "map(_:_:into:): lengths disagree")
        guard let pa = a.baseAddress, let pb = b.baseAddress, let po = out.baseAddress else { return }
        var i = 0
        while i + Lanes.scalarCount <= out.count {
            store(f(load(pa, i), load(pb, i)), po, i)
            i += Lanes.scalarCount
        }
        while i < out.count {
            po[i] = f(Lanes(repeating: pa[i]), Lanes(repeating: pb[i]))[0]
            i += 1
        }
    }

    @inlinable static func mapTail(_ p: UnsafeMutablePointer<Float>, count: Int, _ f: (Lanes) -> Lanes) {
        var lanes = Lanes()
        for k in 0..<count { lanes[k] = p[k] }
        let out = f(lanes)
        for k in 0..<count { p[k] = out[k] }
    }
}
