import TensorCore

/// The attention weights of every attention layer of a model on one sample: what
/// `show attention` draws. For each layer and head, a T × T matrix A where row t (a query
/// position) says how position t spread its attention over the key positions s (Σ_s A[t, s] = 1;
/// with a causal mask A[t, s] = 0 for s > t).
public struct AttentionMaps: Sendable, Codable, Equatable {
    public struct Layer: Sendable, Codable, Equatable {
        /// The model's name for the layer holding the attention (`block1`).
        public var name: String
        public var heads: Int
        /// Positions T.
        public var length: Int
        public var causal: Bool
        /// heads × T × T values, head by head, query rows first.
        public var weights: [Float]

        /// A[t, s] of `head`.
        public func weight(head: Int, query t: Int, key s: Int) -> Float {
            weights[(head * length + t) * length + s]
        }
    }

    /// The sample's row in the data it came from (for titles).
    public var sample: Int
    /// The sample's input ids, one per position.
    public var ids: [Int]
    public var layers: [Layer]

    /// The maps of `model` on `x`, one sample (1, T) of ids, from one forward pass in evaluation
    /// mode; nil when the model has no attention layer or cannot take `x`.
    public static func of(_ model: Sequential, x: Tensor, sample: Int) -> AttentionMaps? {
        let attentions = model.attentionLayers
        guard !attentions.isEmpty, x.rows == 1, (try? model.forward(x, training: false)) != nil else { return nil }
        return AttentionMaps(sample: sample, ids: x.scalars.map { Int($0) }, layers: attentions.map { name, attention in
            Layer(name: name, heads: attention.heads, length: attention.length, causal: attention.causal,
                  weights: attention.weights.scalars)
        })
    }
}

extension AttentionMaps {
    /// The maps of the first `n` positions only (a window shorter than the model's block).
    public func prefix(_ n: Int) -> AttentionMaps {
        AttentionMaps(sample: sample, ids: Array(ids.prefix(n)), layers: layers.map { layer in
            let m = min(n, layer.length)
            var weights: [Float] = []
            weights.reserveCapacity(layer.heads * m * m)
            for h in 0..<layer.heads {
                for t in 0..<m { for s in 0..<m { weights.append(layer.weight(head: h, query: t, key: s)) } }
            }
            return Layer(name: layer.name, heads: layer.heads, length: m, causal: layer.causal, weights: weights)
        })
    }
}

extension Sequential {
    /// The model's attention layers in order, by the name of the layer holding each: a
    /// transformer block's (`block1`) or a bare attention layer's (`attention1`).
    public var attentionLayers: [(name: String, attention: MultiHeadSelfAttention)] {
        zip(names, layers).compactMap { name, layer in
            if let block = layer as? TransformerBlock { return (name, block.attention) }
            if let attention = layer as? MultiHeadSelfAttention { return (name, attention) }
            return nil
        }
    }
}
