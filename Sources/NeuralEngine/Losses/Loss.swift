import TensorCore

/// A loss L(ŷ, t) averaged over the batch, with its gradient dL/dŷ.
///
/// `output` is what the model's last layer produced, except that a final sigmoid (for binary
/// cross-entropy) or softmax (for softmax cross-entropy) is folded into the loss: the model then
/// hands over logits z, and the loss computes log-probabilities stably from them.
public protocol Loss: Sendable {
    /// The command-language name: `mse`, `bce`, `ce`, `hinge`.
    var name: String { get }
    /// The output activation this loss takes over when the model ends with it.
    var foldedActivation: Activation? { get }
    /// Throws unless `targets` fit an output of `outputColumns` columns (per-sample width).
    func validate(outputColumns: Int, targets: Tensor) throws(ModelError)
    /// The mean loss over the batch; writes dL/d(output) into `gradient` (resized as needed).
    func loss(_ output: Tensor, _ targets: Tensor, gradient: inout Tensor) -> Float
    /// For a one-output classifier, the training output above which class 1 is predicted:
    /// 0 for logits (bce) and scores (hinge), 0.5 for a regressed 0/1 label (mse).
    var decisionThreshold: Float { get }
}

extension Loss {
    public var decisionThreshold: Float { 0.5 }

    /// The mean loss without a gradient (evaluation).
    public func loss(_ output: Tensor, _ targets: Tensor) -> Float {
        var scratch = Tensor(shape: [0])
        return loss(output, targets, gradient: &scratch)
    }
}

/// The losses by their command-language names.
public enum LossKind: String, CaseIterable, Codable, Sendable {
    case mse, bce, ce, hinge

    /// The loss this names.
    public func makeLoss() -> any Loss {
        switch self {
        case .mse: MeanSquaredError()
        case .bce: BinaryCrossEntropy()
        case .ce: SoftmaxCrossEntropy()
        case .hinge: Hinge()
        }
    }
}

func requireOneColumnTargets(_ targets: Tensor, rows: Int? = nil, loss: String) throws(ModelError) {
    guard targets.columns == 1 else {
        throw .invalidOption(field: "loss \(loss)", expected: "targets of shape (None, 1)",
                             got: Tensor.describeBatched(Array(targets.shape.dropFirst())))
    }
}
