import TensorCore

/// How regression targets were standardised for training, t′ = (t − μ) / σ with μ and σ from
/// the training split, so that predictions can be given back in the data's own units,
/// ŷ = μ + σ ŷ′. A target in grams (μ ≈ 180) would otherwise first have to be reached by the
/// output bias alone, and the loss would start in the tens of thousands.
public struct TargetScaling: Equatable, Sendable, Codable {
    public var mean: Float
    public var deviation: Float

    public init(mean: Float, deviation: Float) {
        self.mean = mean
        self.deviation = deviation
    }

    /// μ + σ y for every element: model outputs (or standardised targets) in the data's units.
    public func restored(_ y: Tensor) -> Tensor {
        var out = y
        out.scalars.withUnsafeMutableBufferPointer { restore($0) }
        return out
    }

    /// Undoes the scaling of the values in `p`, in place: y = mean + deviation · z.
    public func restore(_ p: UnsafeMutableBufferPointer<Float>) {
        for i in p.indices { p[i] = mean + deviation * p[i] }
    }
}
