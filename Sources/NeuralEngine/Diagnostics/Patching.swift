import Foundation
import TensorCore

/// Activation patching (`patch LxHy`): one head's output on each held-out sequence replaced by
/// its output on a corrupted copy of that sequence, everything else as on the clean one
/// (Meng et al., "Locating and Editing Factual Associations in GPT", 2022, call the clean-to-
/// corrupted direction "noising"):
///
///     corrupted x'  x with the symbols before position ⌊T/2⌋ drawn again at random (seeded),
///                   the rest kept: the current symbols are where they were, what came before
///                   them is not
///     patched       o_h(x) ← o_h(x'), then the clean pass goes on; loss and accuracy on y
///
/// A head that carries information from earlier in the sequence (an induction head) breaks the
/// predictions it feeds; a head that only looks at the current symbol changes little.
public enum Patching {
    /// Per scored position of (x, y), patched beside intact; nil when the model is not a GPT
    /// or has no such head. The model is left as it was.
    public static func measure(_ model: Sequential, x: Tensor, y: Tensor, layer: Int, head: Int, seed: UInt64 = 11) -> [HeadEffect]? {
        guard let attention = HeadEffect.attention(of: model, layer: layer, head: head),
              let vocabulary = (model.layers.first as? TokenEmbedding)?.vocabulary else { return nil }
        let kept = model.blockAttentions.map(\.intervention)   // measured on the model as trained
        defer { for (a, k) in zip(model.blockAttentions, kept) { a.intervention = k } }
        model.liftInterventions()
        guard let intact = PositionScore.measure(model, x: x, y: y) else { return nil }
        let corrupted = corrupt(x, vocabulary: vocabulary, seed: seed)
        let patched = PositionScore.measure(model, x: x, y: y) { rows in
            attention.intervention = nil
            guard (try? model.predict(corrupted.rows(rows))) != nil else { return false }
            attention.intervention = .replace(head: head, with: attention.headOutput(head))
            return true
        }
        guard let patched else { return nil }
        return HeadEffect.pair(intact, patched)
    }

    /// x with every symbol before position ⌊T/2⌋ drawn again from 0..<vocabulary.
    public static func corrupt(_ x: Tensor, vocabulary: Int, seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed), out = x
        let n = x.shape[0], T = x.shape[1]
        for r in 0..<n { for t in 0..<(T / 2) { out.scalars[r * T + t] = Float(rng.int(below: vocabulary)) } }
        return out
    }
}
