import TensorCore

/// The mean over the time axis, optionally over real (unpadded) positions only.
///
///     shapes    x: (n, T, D) → y: (n, D)
///     forward   y[i] = Σ_t m[i, t] x[i, t] / max(c_i, 1),   c_i = Σ_t m[i, t]
///     backward  dx[i, t] = m[i, t] dy[i] / max(c_i, 1)
///
/// Without a `PaddingMask`, m ≡ 1 (Keras' plain `GlobalAveragePooling1D`). With one — shared
/// with the `Embedding` before it, which fills it from the token ids — padded positions neither
/// count in the mean nor receive a gradient, so padding a text further never changes its
/// output. A sample made only of padding averages to zero.
public final class GlobalAveragePooling1D: Layer {
    public let mask: PaddingMask?
    public private(set) var length = 0, dimension = 0
    private var inverseCounts: [Float] = []

    public var typeName: String { "GlobalAveragePooling1D" }
    public var label: String { mask == nil ? "GlobalAvgPool1D" : "GlobalAvgPool1D masked" }
    public var parameters: [Parameter] { [] }
    public var config: LayerConfig { .globalAveragePooling1d(masked: mask != nil) }

    public init(mask: PaddingMask? = nil) { self.mask = mask }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 2, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw .shapeMismatch(layer: label, expected: "(None, steps, features)",
                                 got: Tensor.describeBatched(inputShape))
        }
        (length, dimension) = (inputShape[0], inputShape[1])
        return [dimension]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let n = x.rows, steps = length, d = dimension
        if !(y.rank == 2 && y.shape[0] == n && y.shape[1] == d) { y.resize(n, d) }
        inverseCounts.setCount(n)
        precondition(mask == nil || mask!.valid.count == n * steps, "padding mask not written for this batch")
        precondition(x.count == n * steps * d, "GlobalAveragePooling1D: input is not (n, \(steps), \(d))")
        let m = mask?.valid.scalars ?? []    // empty without a mask: m ≡ 1
        m.withUnsafeBufferPointer { mb in
            x.scalars.withUnsafeBufferPointer { xb in
                y.scalars.withUnsafeMutableBufferPointer { yb in
                    inverseCounts.withUnsafeMutableBufferPointer { ib in
                        guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                        let masked = !mb.isEmpty
                        for i in 0..<n {
                            let out = yp + i * d
                            out.update(repeating: 0, count: d)
                            var count: Float = 0
                            for t in 0..<steps {
                                let w = masked ? mb[i * steps + t] : 1
                                guard w != 0 else { continue }
                                count += w
                                let row = xp + (i * steps + t) * d
                                if w == 1 {       // 1 · x = x exactly: the plain sum
                                    Kernels.add(row, into: out, count: d)
                                } else {
                                    Kernels.add(row, scaledBy: w, into: out, count: d)
                                }
                            }
                            let inv = 1 / max(count, 1)
                            ib[i] = inv
                            Kernels.scale(out, by: inv, into: out, count: d)
                        }
                    }
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        let n = x.rows, steps = length, d = dimension
        dx.resize(to: x.shape)
        let m = mask?.valid.scalars ?? []
        m.withUnsafeBufferPointer { mb in
            dy.scalars.withUnsafeBufferPointer { gb in
                dx.scalars.withUnsafeMutableBufferPointer { dxb in
                    inverseCounts.withUnsafeBufferPointer { ib in
                        guard let gp = gb.baseAddress, let dxp = dxb.baseAddress else { return }
                        let masked = !mb.isEmpty
                        for i in 0..<n {
                            for t in 0..<steps {
                                let scale = (masked ? mb[i * steps + t] : 1) * ib[i]
                                Kernels.scale(gp + i * d, by: scale, into: dxp + (i * steps + t) * d, count: d)
                            }
                        }
                    }
                }
            }
        }
    }
}
