import Foundation
import TensorCore

/// A fully connected recurrent layer, Keras' `SimpleRNN`, trained by backpropagation through time.
///
///     shapes    x: (n, T, F)   W: (F, U)   R: (U, U)   b: (U)
///               y: (n, U) = h_T, or (n, T, U) = h_1 … h_T with `returnSequences`
///     forward   a_t = x_t W + h_{t−1} R + b,   h_t = tanh(a_t),   h_0 = 0
///               (x W for every t at once: one gemm over the (n·T, F) matrix)
///     backward  g_t = dL/dh_t = dy_t + da_{t+1} Rᵀ        (dy_t = 0 for t < T without sequences)
///               da_t = g_t ⊙ (1 − h_t²)
///               dW = Σ_t x_tᵀ da_t (one gemm),  dR = Σ_{t≥2} h_{t−1}ᵀ da_t,  db = Σ_t Σ_rows da_t
///               dx_t = da_t Wᵀ (one gemm)
///
/// R is Keras' `recurrent_kernel`. Keras counts U·(F + U + 1) parameters: W, R and b.
/// Initialisation as Keras: Glorot uniform W, orthogonal R (Gram–Schmidt on a Gaussian
/// matrix), zero b.
public final class SimpleRNN: Layer {
    public let units: Int
    public let returnSequences: Bool
    public private(set) var steps = 0, features = 0
    public let weight: Parameter
    public let recurrentWeight: Parameter
    public let bias: Parameter

    private var states = Tensor(shape: [0])     // h_1 … h_T, (n, T, U)
    private var da = Tensor(shape: [0])         // g_t, then da_t in place, (n, T, U)

    public var typeName: String { "SimpleRNN" }
    public var label: String { "SimpleRNN \(features)→\(units)" + (returnSequences ? " seq" : "") }
    public var parameters: [Parameter] { [weight, recurrentWeight, bias] }
    public var config: LayerConfig { .simpleRNN(units: units, returnSequences: returnSequences) }

    /// x_t·W and h_{t−1}·R at each of the T steps.
    public func multiplyAdds(batch: Int) -> Int { batch * steps * (features * units + units * units) }

    /// A recurrent layer of `units` tanh units. Throws when `units < 1`.
    public init(units: Int, returnSequences: Bool = false) throws(ModelError) {
        guard units >= 1 else {
            throw .invalidOption(field: "rnn units", expected: "an integer ≥ 1", got: "\(units)")
        }
        self.units = units
        self.returnSequences = returnSequences
        try ModelLimits.checkTensor("SimpleRNN \(units)→\(units)", [units, units])
        weight = Parameter(name: "w", value: Tensor(shape: [0, units]), isRegularized: true)
        recurrentWeight = Parameter(name: "r", value: Tensor(shape: [units, units]), isRegularized: true)
        bias = Parameter(name: "b", value: Tensor(shape: [units]), isRegularized: false)
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 2, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw .shapeMismatch(layer: label, expected: "(None, steps, features)",
                                 got: Tensor.describeBatched(inputShape))
        }
        try ModelLimits.checkTensor(label, [inputShape[1] + units, units])
        (steps, features) = (inputShape[0], inputShape[1])
        let limit = (6 / Float(features + units)).squareRoot()
        var w = Tensor(shape: [features, units])
        for i in 0..<w.count { w.scalars[i] = rng.uniform(-limit, limit) }
        weight.value = w
        weight.gradient = Tensor(shape: w.shape)
        recurrentWeight.value = SimpleRNN.orthogonal(units, rng: &rng)
        recurrentWeight.gradient = Tensor(shape: [units, units])
        bias.value = Tensor(shape: [units])
        bias.gradient = Tensor(shape: [units])
        return returnSequences ? [steps, units] : [units]
    }

    /// True when `t` has the shape (a, b, c), checked without building an array.
    private static func has(_ t: Tensor, _ a: Int, _ b: Int, _ c: Int) -> Bool {
        t.rank == 3 && t.shape[0] == a && t.shape[1] == b && t.shape[2] == c
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let n = x.rows, u = units, span = steps * units, T = steps
        if !SimpleRNN.has(states, n, T, u) { states.resize(n, T, u) }
        states.scalars.withUnsafeMutableBufferPointer { h in
            let hp = h.baseAddress!
            x.scalars.withUnsafeBufferPointer { xp in      // x_t W for all t: (n·T, F)(F, U)
                weight.value.scalars.withUnsafeBufferPointer { w in
                    gemm(transposeA: false, transposeB: false, m: n * T, n: u, k: features,
                         alpha: 1, a: xp.baseAddress!, lda: features, b: w.baseAddress!, ldb: u,
                         beta: 0, c: hp, ldc: u)
                }
            }
            recurrentWeight.value.scalars.withUnsafeBufferPointer { r in
                bias.value.scalars.withUnsafeBufferPointer { b in
                    for t in 0..<T {
                        if t > 0 {   // a_t += h_{t−1} R
                            gemm(transposeA: false, transposeB: false, m: n, n: u, k: u, alpha: 1,
                                 a: hp + (t - 1) * u, lda: span, b: r.baseAddress!, ldb: u,
                                 beta: 1, c: hp + t * u, ldc: span)
                        }
                        // h_t = tanh(a_t + b), the n rows of step t in one vectorised pass
                        Kernels.mapRows(hp + t * u, rows: n, columns: u, stride: span,
                                        addingRow: b.baseAddress!, Kernels.tanh)
                    }
                }
            }
        }
        if returnSequences { y.assign(states); return }
        if !(y.rank == 2 && y.shape[0] == n && y.shape[1] == u) { y.resize(n, u) }
        states.scalars.withUnsafeBufferPointer { h in
            y.scalars.withUnsafeMutableBufferPointer { yp in
                for i in 0..<n {
                    (yp.baseAddress! + i * u).update(from: h.baseAddress! + i * span + (T - 1) * u, count: u)
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        let n = x.rows, u = units, span = steps * units, T = steps
        if returnSequences {
            da.assign(dy)
        } else {
            // Only g_T comes from dy; every earlier g_t is overwritten by the first product
            // below (beta 0), so the buffer needs no zero fill.
            if !SimpleRNN.has(da, n, T, u) { da.resize(n, T, u) }
            da.scalars.withUnsafeMutableBufferPointer { g in
                dy.scalars.withUnsafeBufferPointer { d in
                    for i in 0..<n {
                        (g.baseAddress! + i * span + (T - 1) * u).update(from: d.baseAddress! + i * u, count: u)
                    }
                }
            }
        }
        let accumulate: Float = returnSequences ? 1 : 0
        recurrentWeight.gradient.fill(0)
        states.scalars.withUnsafeBufferPointer { h in
            da.scalars.withUnsafeMutableBufferPointer { g in
                recurrentWeight.value.scalars.withUnsafeBufferPointer { r in
                    recurrentWeight.gradient.scalars.withUnsafeMutableBufferPointer { dr in
                        let hp = h.baseAddress!, gp = g.baseAddress!
                        for t in stride(from: T - 1, through: 0, by: -1) {
                            // da_t = g_t ⊙ (1 − h_t²)
                            Kernels.mapRows(gp + t * u, hp + t * u, rows: n, columns: u, stride: span) { g, h in
                                g * (1 - h * h)
                            }
                            guard t > 0 else { break }
                            // g_{t−1} (+)= da_t Rᵀ;  dR += h_{t−1}ᵀ da_t
                            gemm(transposeA: false, transposeB: true, m: n, n: u, k: u, alpha: 1,
                                 a: gp + t * u, lda: span, b: r.baseAddress!, ldb: u,
                                 beta: accumulate, c: gp + (t - 1) * u, ldc: span)
                            gemm(transposeA: true, transposeB: false, m: u, n: u, k: n, alpha: 1,
                                 a: hp + (t - 1) * u, lda: span, b: gp + t * u, ldb: span,
                                 beta: 1, c: dr.baseAddress!, ldc: u)
                        }
                    }
                }
            }
        }
        bias.gradient.fill(0)
        if needsInputGradient { dx.resize(to: x.shape) }
        let inputGradient = needsInputGradient
        x.scalars.withUnsafeBufferPointer { xp in
            da.scalars.withUnsafeBufferPointer { g in
                weight.gradient.scalars.withUnsafeMutableBufferPointer { dw in   // dW = Xᵀ dA
                    gemm(transposeA: true, transposeB: false, m: features, n: u, k: n * T,
                         alpha: 1, a: xp.baseAddress!, lda: features, b: g.baseAddress!, ldb: u,
                         beta: 0, c: dw.baseAddress!, ldc: u)
                }
                bias.gradient.scalars.withUnsafeMutableBufferPointer { db in     // db = Σ_rows dA
                    Kernels.addColumnSums(g.baseAddress!, rows: n * T, columns: u, into: db.baseAddress!)
                }
                guard inputGradient else { return }
                weight.value.scalars.withUnsafeBufferPointer { w in
                    dx.scalars.withUnsafeMutableBufferPointer { dxp in                // dX = dA Wᵀ
                        gemm(transposeA: false, transposeB: true, m: n * T, n: features, k: u,
                             alpha: 1, a: g.baseAddress!, lda: u, b: w.baseAddress!, ldb: u,
                             beta: 0, c: dxp.baseAddress!, ldc: features)
                    }
                }
            }
        }
    }

    /// A U×U orthogonal matrix: Gram–Schmidt on the rows of a standard normal matrix.
    static func orthogonal(_ size: Int, rng: inout SeededGenerator) -> Tensor {
        var rows = (0..<size).map { _ in (0..<size).map { _ in Double(rng.normal()) } }
        for i in 0..<size {
            for k in 0..<i {
                let dot = zip(rows[i], rows[k]).reduce(0) { $0 + $1.0 * $1.1 }
                for j in 0..<size { rows[i][j] -= dot * rows[k][j] }
            }
            let norm = rows[i].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in 0..<size { rows[i][j] /= max(norm, 1e-12) }
        }
        return try! Tensor(shape: [size, size], scalars: rows.flatMap { $0.map(Float.init) })
    }
}
