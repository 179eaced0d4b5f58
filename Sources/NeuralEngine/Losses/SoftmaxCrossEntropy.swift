import Foundation
import TensorCore

/// Softmax cross-entropy from logits z (n, k) with integer class labels t ∈ 0..<k, mean over n.
///
///     L = 1/n Σ_i [ log Σ_j e^(z_ij) − z_i,t_i ]      (log-sum-exp shifted by max_j z_ij)
///     dL/dz_ij = (softmax(z_i)_j − [j = t_i]) / n
///
/// A model ending in softmax hands over z directly. With k = 1 the loss is 0 (one class).
public struct SoftmaxCrossEntropy: Loss {
    public init() {}
    public var name: String { "ce" }
    public var foldedActivation: Activation? { .softmax }

    public func validate(outputColumns: Int, targets: Tensor) throws(ModelError) {
        try requireOneColumnTargets(targets, loss: "ce")
        for t in targets.scalars where t < 0 || t >= Float(outputColumns) || t != t.rounded() {
            throw .invalidOption(field: "loss ce targets",
                                 expected: "class indices 0…\(outputColumns - 1) for \(outputColumns) outputs",
                                 got: "\(t)")
        }
    }

    public func loss(_ output: Tensor, _ targets: Tensor, gradient: inout Tensor) -> Float {
        gradient.resize(to: output.shape)
        let n = output.rows, k = output.columns
        let invN = 1 / Float(max(n, 1))
        var sum: Double = 0
        output.scalars.withUnsafeBufferPointer { z in
            targets.scalars.withUnsafeBufferPointer { t in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in 0..<n {
                        let base = i * k
                        var m = -Float.infinity
                        for j in 0..<k { m = max(m, z[base + j]) }
                        var s: Float = 0
                        for j in 0..<k { s += exp(z[base + j] - m) }
                        let logSum = m + log(s)
                        let label = Int(t[i])
                        sum += Double(logSum - z[base + label])
                        for j in 0..<k {
                            let p = exp(z[base + j] - logSum)
                            g[base + j] = (p - (j == label ? 1 : 0)) * invN
                        }
                    }
                }
            }
        }
        return Float(sum / Double(max(n, 1)))
    }
}
