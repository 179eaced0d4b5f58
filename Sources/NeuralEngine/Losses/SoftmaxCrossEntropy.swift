import Foundation
import TensorCore

/// Softmax cross-entropy from logits z with integer class labels t, mean over the scored rows.
///
///     L = 1/|S| Σ_(i ∈ S) [ log Σ_j e^(z_ij) − z_i,t_i ]      (log-sum-exp shifted by max_j z_ij)
///     dL/dz_ij = (softmax(z_i)_j − [j = t_i]) / |S|   for i ∈ S,   0 for rows not scored
///
/// A row is one sample, z (n, k) with targets (n, 1); or, for a sequence model, one position:
/// z (n, T, k) with targets (n, T) is n·T rows. S is the rows whose target is ≥ 0: a target of
/// −1 marks a position the task does not score (the input half of a sorting task, as minGPT's
/// `ignore_index=-1`). With every row scored |S| = n and this is the plain mean.
/// A model ending in softmax hands over z directly. With k = 1 the loss is 0 (one class).
public struct SoftmaxCrossEntropy: Loss {
    public init() {}
    public var name: String { "ce" }
    public var foldedActivation: Activation? { .softmax }

    /// The target marking a position that is not scored.
    public static let unscored: Float = -1

    public func validate(outputColumns: Int, targets: Tensor) throws(ModelError) {
        let positions = targets.columns
        guard positions >= 1, outputColumns % positions == 0 else {
            throw .invalidOption(field: "loss ce", expected: "targets of shape (None, 1), or one per output position",
                                 got: Tensor.describeBatched(Array(targets.shape.dropFirst())))
        }
        let k = outputColumns / positions
        for t in targets.scalars where (t < 0 || t >= Float(k) || t != t.rounded()) && !(positions > 1 && t == Self.unscored) {
            throw .invalidOption(field: "loss ce targets",
                                 expected: "class indices 0…\(k - 1) for \(k) outputs" + (positions > 1 ? " (or −1: not scored)" : ""),
                                 got: "\(t)")
        }
    }

    public func loss(_ output: Tensor, _ targets: Tensor, gradient: inout Tensor) -> Float {
        if gradient.shape != output.shape { gradient.resize(to: output.shape) }
        let positions = max(targets.columns, 1)
        let n = output.rows * positions, k = output.columns / positions
        let scored = positions == 1 ? n : targets.scalars.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
        let invN = 1 / Float(max(scored, 1))
        var sum: Double = 0
        output.scalars.withUnsafeBufferPointer { z in
            targets.scalars.withUnsafeBufferPointer { t in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in 0..<n {
                        let base = i * k
                        guard t[i] >= 0 else {
                            for j in 0..<k { g[base + j] = 0 }
                            continue
                        }
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
        return Float(sum / Double(max(scored, 1)))
    }
}
