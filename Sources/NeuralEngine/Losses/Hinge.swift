import TensorCore

/// Hinge loss for a linear SVM: labels ±1 (labels 0/1 are mapped to −1/+1), score s, mean over n.
///
///     L = 1/n Σ max(0, 1 − t s)          dL/ds = −t / n where t s < 1, else 0
///
/// At the kink t s = 1 the subgradient 0 is used.
public struct Hinge: Loss {
    public init() {}
    public var name: String { "hinge" }
    public var foldedActivation: Activation? { nil }
    public var decisionThreshold: Float { 0 }

    public func validate(outputColumns: Int, targets: Tensor) throws(ModelError) {
        guard outputColumns == 1 else {
            throw .invalidOption(field: "loss hinge", expected: "a model with 1 output (try `model svm`)",
                                 got: "\(outputColumns) outputs")
        }
        try requireOneColumnTargets(targets, loss: "hinge")
        for t in targets.scalars where ![-1, 0, 1].contains(t) {
            throw .invalidOption(field: "loss hinge targets", expected: "labels −1/+1 or 0/1", got: "\(t)")
        }
    }

    /// Maps a 0/1 or ±1 label to ±1.
    @inline(__always) static func sign(_ label: Float) -> Float { label > 0 ? 1 : -1 }

    public func loss(_ output: Tensor, _ targets: Tensor, gradient: inout Tensor) -> Float {
        gradient.resize(to: output.shape)
        let n = Float(max(output.count, 1))
        var sum: Double = 0
        output.scalars.withUnsafeBufferPointer { s in
            targets.scalars.withUnsafeBufferPointer { t in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in s.indices {
                        let y = Hinge.sign(t[i])
                        let margin = 1 - y * s[i]
                        if margin > 0 { sum += Double(margin); g[i] = -y / n } else { g[i] = 0 }
                    }
                }
            }
        }
        return Float(sum / Double(n))
    }
}
