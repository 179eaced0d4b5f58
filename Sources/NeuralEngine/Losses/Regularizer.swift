import TensorCore

/// A penalty on the regularized parameters (weights, not biases), added to the loss.
///
///     l1   R = λ Σ |w|      dR/dw = λ sign(w)     (0 at w = 0)
///     l2   R = λ Σ w²       dR/dw = 2 λ w         (Keras' `l2(λ)` convention)
public enum Regularizer: Equatable, Sendable, Codable {
    case l1(Float)
    case l2(Float)

    public var strength: Float {
        switch self { case .l1(let s), .l2(let s): return s }
    }

    /// The penalty R over `parameters`.
    public func penalty(_ parameters: [Parameter]) -> Float {
        var total: Float = 0
        for p in parameters where p.isRegularized {
            switch self {
            case .l1(let s): total += s * p.value.l1Norm()
            case .l2(let s): let n = p.value.l2Norm(); total += s * n * n
            }
        }
        return total
    }

    /// Adds dR/dw to each regularized parameter's gradient.
    public func addGradient(_ parameters: [Parameter]) {
        for p in parameters where p.isRegularized {
            p.gradient.scalars.withUnsafeMutableBufferPointer { g in
                p.value.scalars.withUnsafeBufferPointer { w in
                    switch self {
                    case .l1(let s):
                        for i in g.indices { g[i] += w[i] > 0 ? s : (w[i] < 0 ? -s : 0) }
                    case .l2(let s):
                        for i in g.indices { g[i] += 2 * s * w[i] }
                    }
                }
            }
        }
    }
}
