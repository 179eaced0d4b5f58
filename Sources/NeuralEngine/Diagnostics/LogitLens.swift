import Foundation
import TensorCore

/// The logit lens (nostalgebraist, "interpreting GPT: the logit lens", 2020): what a GPT would
/// predict if it stopped after each layer, by reading the residual stream x_k there through the
/// model's own final norm and head:
///
///     p_k = softmax(LN_final(x_k) · W_U + b_U)     x_0 the embeddings, x_k after block k
///
/// The last stage is the model's own prediction. Each stage's loss and accuracy are taken over
/// the scored positions of (x, y) as in `PositionScore`, and one sample's likeliest symbol at
/// every position is kept. The model is run in evaluation mode and its weights are not changed.
public enum LogitLens {
    public struct Stage: Equatable, Sendable {
        /// 0: the embeddings; k: after block k.
        public var after: Int
        public var loss: Double
        public var accuracy: Double
        /// The likeliest next symbol at every position of the sample.
        public var predicted: [Int]
    }

    /// The stages of `model` (a GPT) on (x, y), with `sample`'s predictions; nil for another model.
    public static func read(_ model: Sequential, x: Tensor, y: Tensor, sample: Int = 0, batch: Int = 256) -> [Stage]? {
        let layers = model.layers
        guard layers.first is TokenEmbedding, let h = layers.firstIndex(where: { $0 is TokenHead }), h >= 1,
              let norm = layers[h - 1] as? LayerNorm, let head = layers[h] as? TokenHead,
              x.rank == 2, y.shape == x.shape, x.shape[0] > 0 else { return nil }
        let readFrom = [0] + layers.indices.filter { layers[$0] is TransformerBlock }
        guard readFrom.count >= 2 else { return nil }
        let n = x.shape[0], T = x.shape[1], V = head.vocabulary, sample = min(max(sample, 0), n - 1)
        var loss = [Double](repeating: 0, count: readFrom.count), right = [Int](repeating: 0, count: readFrom.count), scored = 0
        var predicted = [[Int]](repeating: [], count: readFrom.count)
        var normed = Tensor(shape: [0]), logits = Tensor(shape: [0])
        var start = 0
        while start < n {
            let rows = min(batch, n - start)
            guard (try? model.predict(x.rows(start..<(start + rows)))) != nil else { return nil }
            let residuals = readFrom.map { model.lastOutput(ofLayer: $0) }
            for (k, residual) in residuals.enumerated() {
                guard residual.count == rows * T * norm.width else { return nil }
                norm.forward(residual, into: &normed, training: false)
                head.forward(normed, into: &logits, training: false)
                guard logits.count == rows * T * V else { return nil }
                for r in 0..<rows {
                    for t in 0..<T {
                        let base = (r * T + t) * V
                        var best = 0, top = -Float.infinity
                        for v in 0..<V where logits.scalars[base + v] > top { top = logits.scalars[base + v]; best = v }
                        if start + r == sample { predicted[k].append(best) }
                        let target = Int(y.scalars[(start + r) * T + t])
                        guard target >= 0, target < V else { continue }
                        var sum = 0.0
                        for v in 0..<V { sum += exp(Double(logits.scalars[base + v] - top)) }
                        loss[k] += log(sum) - Double(logits.scalars[base + target] - top)
                        right[k] += best == target ? 1 : 0
                        if k == 0 { scored += 1 }
                    }
                }
            }
            start += rows
        }
        guard scored > 0 else { return nil }
        return readFrom.indices.map { k in
            Stage(after: k, loss: loss[k] / Double(scored), accuracy: Double(right[k]) / Double(scored), predicted: predicted[k])
        }
    }
}
