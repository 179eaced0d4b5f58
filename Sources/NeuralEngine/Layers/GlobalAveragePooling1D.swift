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

    public init(mask: PaddingMask? = nil) { self.mask = mask }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 2, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw .shapeMismatch(layer: label, expected: "(None, steps, features)",
                                 got: Tensor.describeBatched(inputShape))
        }
        (length, dimension) = (inputShape[0], inputShape[1])
        return [dimension]
    }

    /// m[i, t] for the current batch: the shared mask, or 1 without one.
    private func weightOf(_ i: Int, _ t: Int, _ m: UnsafeBufferPointer<Float>) -> Float {
        m.isEmpty ? 1 : m[i * length + t]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let n = x.rows, steps = length, d = dimension
        y.resize(to: [n, d])
        if inverseCounts.count != n { inverseCounts = [Float](repeating: 0, count: n) }
        let valid = mask?.valid ?? Tensor(shape: [0])
        precondition(mask == nil || valid.count == n * steps, "padding mask not written for this batch")
        valid.scalars.withUnsafeBufferPointer { m in
            x.scalars.withUnsafeBufferPointer { xp in
                y.scalars.withUnsafeMutableBufferPointer { yp in
                    for i in 0..<n {
                        var count: Float = 0
                        for j in 0..<d { yp[i * d + j] = 0 }
                        for t in 0..<steps {
                            let w = weightOf(i, t, m)
                            guard w != 0 else { continue }
                            count += w
                            let base = (i * steps + t) * d
                            for j in 0..<d { yp[i * d + j] += w * xp[base + j] }
                        }
                        let inv = 1 / max(count, 1)
                        inverseCounts[i] = inv
                        for j in 0..<d { yp[i * d + j] *= inv }
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
        let valid = mask?.valid ?? Tensor(shape: [0])
        valid.scalars.withUnsafeBufferPointer { m in
            dy.scalars.withUnsafeBufferPointer { g in
                dx.scalars.withUnsafeMutableBufferPointer { dxp in
                    for i in 0..<n {
                        for t in 0..<steps {
                            let scale = weightOf(i, t, m) * inverseCounts[i]
                            let base = (i * steps + t) * d
                            for j in 0..<d { dxp[base + j] = scale * g[i * d + j] }
                        }
                    }
                }
            }
        }
    }
}
