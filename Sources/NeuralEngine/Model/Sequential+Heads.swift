/// A GPT's attention heads, block by block, and the head `ablate` silences.
extension Sequential {
    /// The attention of every transformer block, in order (empty for other models).
    public var blockAttentions: [MultiHeadSelfAttention] {
        layers.compactMap { ($0 as? TransformerBlock)?.attention }
    }

    /// The head (block and head, from 0) whose output evaluation passes set to zero, if any.
    public var silencedHead: (layer: Int, head: Int)? {
        for (l, attention) in blockAttentions.enumerated() {
            if case .zero(let head)? = attention.intervention { return (l, head) }
        }
        return nil
    }

    /// Silences head `head` of block `layer` in every evaluation pass (and lifts any other
    /// intervention); false when there is no such head.
    @discardableResult
    public func silence(layer: Int, head: Int) -> Bool {
        let attentions = blockAttentions
        guard attentions.indices.contains(layer), (0..<attentions[layer].heads).contains(head) else { return false }
        liftInterventions()
        attentions[layer].intervention = .zero(head: head)
        return true
    }

    /// Every head as trained again; true when one was silenced or patched.
    @discardableResult
    public func liftInterventions() -> Bool {
        var lifted = false
        for attention in blockAttentions where attention.intervention != nil {
            attention.intervention = nil
            lifted = true
        }
        return lifted
    }
}
