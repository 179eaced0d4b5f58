import TensorCore

/// What an evaluation pass does to one attention head's output, the head's slice of the
/// concatenated head outputs before the output projection (heads from 0):
///
///     zero     o_h ← 0                        (zero ablation: the model without the head)
///     replace  o_h ← o_h on another input     (activation patching: the head as it is there)
public enum HeadIntervention: Sendable {
    case zero(head: Int)
    /// `values`: (n·T, e), the head's output on the other input (`headOutput`), same batch size.
    case replace(head: Int, with: Tensor)
}
