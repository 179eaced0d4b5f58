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

    /// erf x in the form Eigen and XLA use for Float: an odd degree-13 over even degree-8
    /// rational function of x on [−4, 4] (±1 beyond, after rounding). Measured against the
    /// double-precision erf on [−6, 6]: at most 4.2e-7 off (TensorCoreTests). About 8x faster than
    /// libm's `erff`, which took 18 % of a GPT's training step (GELU's forward and backward).
    @inlinable @inline(__always) public static func erf(_ x: Lanes) -> Lanes {
        var c = x.replacing(with: 4, where: x .> 4)
        c.replace(with: -4, where: c .< -4)
        let x2 = c * c
        var p = x2 * Lanes(repeating: -2.72614225801306e-10) + 2.77068142495902e-08
        p = x2 * p + -2.10102402082508e-06
        p = x2 * p + -5.69250639462346e-05
        p = x2 * p + -7.34990630326855e-04
        p = x2 * p + -2.95459980854025e-03
        p = x2 * p + -1.60960333262415e-02
        p = c * p
        var q = x2 * Lanes(repeating: -1.45660718464996e-05) + -2.13374055278905e-04
        q = x2 * q + -1.68282697438203e-03
        q = x2 * q + -7.37332916720468e-03
        q = x2 * q + -1.42647390514189e-02
        return p / q
    }

    /// e^x over eight lanes, the Cephes `expf` way: x = n ln 2 + r with |r| ≤ ½ ln 2, a degree-6
    /// polynomial for e^r, times 2ⁿ built in the exponent bits. Within 2 ulp of the exact e^x on
    /// [−87, 88] (TensorCoreTests); clamped outside it (tiny below, e⁸⁸ above).
    @inlinable @inline(__always) public static func exp(_ x: Lanes) -> Lanes {
        var c = x.replacing(with: 88, where: x .> 88)
        c.replace(with: -87.3365478515625, where: c .< -87.3365478515625)
        // n = x / ln 2 rounded to the nearest whole number: adding and taking away 1.5 · 2²³
        // rounds in the adder, without a call to `floorf` per lane.
        let n = (c * 1.44269504088896341 + 12_582_912) - 12_582_912
        let r = c - n * 0.693359375 - n * -2.12194440e-4
        var p = r * Lanes(repeating: 1.9875691500e-4) + 1.3981999507e-3
        p = r * p + 8.3334519073e-3
        p = r * p + 4.1665795894e-2
        p = r * p + 1.6666665459e-1
        p = r * p + 5.0000001201e-1
        p = p * (r * r) + r + 1
        // n + 127 is a whole number in 1…254: added to 2²³ its value lands in the mantissa bits,
        // which shifted up 23 places are the exponent bits of 2ⁿ (no float-to-int conversion).
        let biased = unsafeBitCast(n + (127 + 8_388_608), to: SIMD8<UInt32>.self) & 0x7F_FFFF
        return p * unsafeBitCast(biased &<< 23, to: Lanes.self)
    }

    /// GELU's forward pass in place, y = ½ z (1 + erf(z/√2)), eight lanes at a time (the tail
    /// padded). Written out rather than through `map` so the lane functions inline into the loop.
    public static func gelu(_ y: UnsafeMutableBufferPointer<Float>) {
        guard let p = y.baseAddress else { return }
        var i = 0
        while i < y.count {
            let n = min(Lanes.scalarCount, y.count - i)
            var z = Lanes()
            if n == Lanes.scalarCount { z = load(p, i) } else { for k in 0..<n { z[k] = p[i + k] } }
            let out = 0.5 * z * (1 + erf(z * 0.70710678))
            if n == Lanes.scalarCount { store(out, p, i) } else { for k in 0..<n { p[i + k] = out[k] } }
            i += n
        }
    }

    /// GELU's forward pass from z into y, keeping Φ(z) = ½ (1 + erf(z/√2)) in `cdf` for the
    /// backward pass (`geluGradient(z:cdf:…)` then needs no erf).
    public static func gelu(_ z: UnsafeBufferPointer<Float>, into y: UnsafeMutablePointer<Float>,
                            cdf: UnsafeMutablePointer<Float>) {
        guard let pz = z.baseAddress else { return }
        var i = 0
        while i < z.count {
            let n = min(Lanes.scalarCount, z.count - i)
            var x = Lanes()
            if n == Lanes.scalarCount { x = load(pz, i) } else { for k in 0..<n { x[k] = pz[i + k] } }
            let phi = 0.5 * (1 + erf(x * 0.70710678))
            let out = x * phi
            if n == Lanes.scalarCount {
                store(out, y, i); store(phi, cdf, i)
            } else {
                for k in 0..<n { y[i + k] = out[k]; cdf[i + k] = phi[k] }
            }
            i += n
        }
    }

    /// GELU's backward pass from z and the Φ(z) its forward pass kept: dz = dy ⊙ (Φ + z φ(z)).
    public static func geluGradient(z: UnsafeBufferPointer<Float>, cdf: UnsafePointer<Float>,
                                    dy: UnsafePointer<Float>, into dz: UnsafeMutablePointer<Float>) {
        guard let pz = z.baseAddress else { return }
        var i = 0
        while i < z.count {
            let n = min(Lanes.scalarCount, z.count - i)
            var x = Lanes(), phi = Lanes(), g = Lanes()
            if n == Lanes.scalarCount {
                x = load(pz, i); phi = load(cdf, i); g = load(dy, i)
            } else {
                for k in 0..<n { x[k] = pz[i + k]; phi[k] = cdf[i + k]; g[k] = dy[i + k] }
            }
            let out = g * (phi + x * exp(-0.5 * x * x) * 0.39894228)
            if n == Lanes.scalarCount { store(out, dz, i) } else { for k in 0..<n { dz[i + k] = out[k] } }
            i += n
        }
    }

    /// GELU's backward pass, dz = dy ⊙ (Φ(z) + z φ(z)) with Φ(z) = ½ (1 + erf(z/√2)) and
    /// φ(z) = e^(−z²/2) / √(2π), eight lanes at a time.
    public static func geluGradient(z: UnsafeBufferPointer<Float>, dy: UnsafeBufferPointer<Float>,
                                    into dz: UnsafeMutableBufferPointer<Float>) {
        precondition(z.count == dz.count && dy.count == dz.count, "geluGradient: lengths disagree")
        guard let pz = z.baseAddress, let pdy = dy.baseAddress, let pdz = dz.baseAddress else { return }
        var i = 0
        while i < dz.count {
            let n = min(Lanes.scalarCount, dz.count - i)
            var x = Lanes(), g = Lanes()
            if n == Lanes.scalarCount {
                x = load(pz, i); g = load(pdy, i)
            } else {
                for k in 0..<n { x[k] = pz[i + k]; g[k] = pdy[i + k] }
            }
            let cdf = 0.5 * (1 + erf(x * 0.70710678))
            let pdf = exp(-0.5 * x * x) * 0.39894228
            let out = g * (cdf + x * pdf)
            if n == Lanes.scalarCount { store(out, pdz, i) } else { for k in 0..<n { pdz[i + k] = out[k] } }
            i += n
        }
    }

    /// The scalar form of the lane `erf`.
    @inlinable public static func erf(_ x: Float) -> Float { erf(Lanes(repeating: x))[0] }

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
