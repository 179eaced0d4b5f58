import Foundation
import TensorCore

/// Binary cross-entropy from logits z, targets t ∈ {0, 1} (or probabilities), mean over n.
///
///     L = 1/n Σ [ max(z, 0) − z t + log(1 + e^(−|z|)) ]     (= −t log σ(z) − (1−t) log(1−σ(z)))
///     dL/dz = (σ(z) − t) / n
///
/// The rewritten form never exponentiates a positive number, so it is finite for any finite z
/// (checked for |z| up to 100 in the tests). A model ending in sigmoid hands over z directly.
public struct BinaryCrossEntropy: Loss {
    public init() {}
    public var name: String { "bce" }
    public var foldedActivation: Activation? { .sigmoid }
    public var decisionThreshold: Float { 0 }

    public func validate(outputColumns: Int, targets: Tensor) throws(ModelError) {
        guard outputColumns == 1 else {
            throw .invalidOption(field: "loss bce", expected: "a model with 1 output (try `dense 1 sigmoid`)",
                                 got: "\(outputColumns) outputs")
        }
        try requireOneColumnTargets(targets, loss: "bce")
    }

    public func loss(_ output: Tensor, _ targets: Tensor, gradient: inout Tensor) -> Float {
        gradient.resize(to: output.shape)
        let n = Float(max(output.count, 1))
        var sum: Double = 0
        output.scalars.withUnsafeBufferPointer { z in
            targets.scalars.withUnsafeBufferPointer { t in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in z.indices {
                        let zi = z[i]
                        sum += Double(max(zi, 0) - zi * t[i] + log1p(exp(-abs(zi))))
                        g[i] = (Activation.sigmoid(zi) - t[i]) / n
                    }
                }
            }
        }
        return Float(sum / Double(n))
    }
}
