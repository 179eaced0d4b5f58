import Foundation
import TensorCore

/// What a sequence model does without one attention head (`ablate LxHy`): zero ablation (Olsson
/// et al., 2022), o_h ← 0 in every evaluation pass, measured per position (`HeadEffect`).
public enum Ablation {
    /// Per scored position of (x, y) with head `head` of block `layer` (both from 0) silenced,
    /// beside intact. Nil when the model is not a GPT or has no such head. The model is left as
    /// it was, with whatever intervention it had.
    public static func measure(_ model: Sequential, x: Tensor, y: Tensor, layer: Int, head: Int) -> [HeadEffect]? {
        guard let attention = HeadEffect.attention(of: model, layer: layer, head: head) else { return nil }
        let kept = model.blockAttentions.map(\.intervention)   // measured on the model as trained
        defer { for (a, k) in zip(model.blockAttentions, kept) { a.intervention = k } }
        model.liftInterventions()
        guard let intact = PositionScore.measure(model, x: x, y: y) else { return nil }
        attention.intervention = .zero(head: head)
        guard let ablated = PositionScore.measure(model, x: x, y: y) else { return nil }
        return HeadEffect.pair(intact, ablated)
    }
}
