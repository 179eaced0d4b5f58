import Foundation
import TensorCore

/// What each attention head of a GPT does, as three scores in 0…1 (the measures of Olsson et
/// al., "In-context Learning and Induction Heads", 2022, and Elhage et al., "A Mathematical
/// Framework for Transformer Circuits", 2021), on a fixed probe: `probes` sequences of the
/// model's block length, each random symbols r of length h = ⌊block/2⌋ followed by r again
/// (s[t] = r[t mod h]), drawn from `seed`.
///
///     previous-token  mean over positions t ≥ 1 of A[t, t−1]: attending to the symbol before
///     induction       mean over positions t ≥ h of A[t, t−h+1]: attending to the symbol that
///                     followed the earlier occurrence of the current one (prefix matching)
///     copying         the share of symbols i for which the head's OV circuit, read from the
///                     weights alone, raises the logit of i itself the most:
///                     argmax_j (E W_V,h W_O,h W_U)[i, j] = i   (E the token embedding,
///                     W_U the head's unembedding; the layer norms are left out)
///
/// A: each block's attention weights on the probe (`MultiHeadSelfAttention.weights`). An
/// induction head scores high on induction and copying; a previous-token head, the first half
/// of the circuit, high on previous-token.
public struct HeadScores: Equatable, Sendable {
    /// Block (from 0) and head (from 0).
    public var layer: Int
    public var head: Int
    public var previousToken: Double
    public var induction: Double
    public var copying: Double

    /// The scores of every head of `model` (a built GPT), layer by layer; nil for another model.
    /// Runs the model forward (in evaluation mode) on the probe: call it where nothing else runs it.
    public static func of(_ model: Sequential, probes: Int = 32, seed: UInt64 = 7) -> [HeadScores]? {
        guard let embedding = model.layers.first as? TokenEmbedding, embedding.length >= 3,
              let head = model.layers.compactMap({ $0 as? TokenHead }).first else { return nil }
        let blocks = model.layers.compactMap { $0 as? TransformerBlock }
        guard !blocks.isEmpty else { return nil }
        let T = embedding.length, h = T / 2, V = embedding.vocabulary, d = embedding.width
        var rng = SeededGenerator(seed: seed)
        var x = Tensor(shape: [probes, T])
        for n in 0..<probes {
            let r = (0..<h).map { _ in rng.int(below: V) }
            for t in 0..<T { x.scalars[n * T + t] = Float(r[t % h]) }
        }
        guard (try? model.forward(x, training: false)) != nil else { return nil }
        var scores: [HeadScores] = []
        for (l, block) in blocks.enumerated() {
            let A = block.attention.weights, H = block.heads, e = d / H
            for hd in 0..<H {
                var previous = 0.0, induction = 0.0
                for n in 0..<probes {
                    let base = ((n * H) + hd) * T * T
                    for t in 1..<T { previous += Double(A.scalars[base + t * T + t - 1]) }
                    for t in h..<T { induction += Double(A.scalars[base + t * T + t - h + 1]) }
                }
                scores.append(HeadScores(layer: l, head: hd, previousToken: previous / Double(probes * (T - 1)),
                                         induction: induction / Double(probes * (T - h)),
                                         copying: copying(block: block, head: hd, headWidth: e, embedding: embedding, unembedding: head)))
            }
        }
        return scores
    }

    /// The share of symbols the head's OV circuit maps onto themselves (see the type).
    static func copying(block: TransformerBlock, head hd: Int, headWidth e: Int, embedding: TokenEmbedding, unembedding: TokenHead) -> Double {
        let V = embedding.vocabulary, d = embedding.width
        let E = embedding.tokens.value.scalars                         // (V, d)
        let qkv = block.attention.inputProjection.weight.value.scalars   // (d, 3d): V columns from 2d
        let out = block.attention.outputProjection.weight.value.scalars  // (d, d): rows hd·e …
        let U = unembedding.linear.weight.value.scalars                  // (d, V)
        var copied = 0
        var value = [Float](repeating: 0, count: e), written = [Float](repeating: 0, count: d)
        for i in 0..<V {
            for k in 0..<e {
                var s: Float = 0
                for j in 0..<d { s += E[i * d + j] * qkv[j * 3 * d + 2 * d + hd * e + k] }
                value[k] = s
            }
            for j in 0..<d {
                var s: Float = 0
                for k in 0..<e { s += value[k] * out[(hd * e + k) * d + j] }
                written[j] = s
            }
            var best = 0, top = -Float.infinity
            for v in 0..<V {
                var s: Float = 0
                for j in 0..<d { s += written[j] * U[j * V + v] }
                if s > top { top = s; best = v }
            }
            if best == i { copied += 1 }
        }
        return Double(copied) / Double(V)
    }
}
