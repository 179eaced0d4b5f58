import Foundation
import TensorCore

/// A sequence model's loss and accuracy at each scored position of a set (x, y): ids (n, T),
/// targets (n, T) with −1 where nothing is scored.
///
///     loss_t     = mean over samples with a target at t of −log p(target)
///     accuracy_t = the share of them whose likeliest symbol is the target
///
/// Run in evaluation mode, in batches of `batch`.
public struct PositionScore: Equatable, Sendable, Codable {
    /// The position (from 0) of the input symbol whose next symbol is predicted.
    public var position: Int
    public var samples: Int
    public var loss: Double
    public var accuracy: Double

    /// Each scored position's figures. `before(rows)` runs before each batch (rows of x) is
    /// predicted, to set an intervention for it; false gives up (nil).
    public static func measure(_ model: Sequential, x: Tensor, y: Tensor, batch: Int = 256,
                               before: (Range<Int>) -> Bool = { _ in true }) -> [PositionScore]? {
        guard x.rank == 2, y.shape == x.shape else { return nil }
        let n = x.shape[0], T = x.shape[1]
        var loss = [Double](repeating: 0, count: T), right = [Int](repeating: 0, count: T), count = [Int](repeating: 0, count: T)
        var start = 0
        while start < n {
            let rows = min(batch, n - start)
            guard before(start..<(start + rows)), let p = try? model.predict(x.rows(start..<(start + rows))),
                  p.count % (rows * T) == 0 else { return nil }
            let V = p.count / (rows * T)
            for r in 0..<rows {
                for t in 0..<T {
                    let target = Int(y.scalars[(start + r) * T + t])
                    guard target >= 0, target < V else { continue }
                    let base = (r * T + t) * V
                    var best = 0
                    for v in 1..<V where p.scalars[base + v] > p.scalars[base + best] { best = v }
                    loss[t] -= log(max(Double(p.scalars[base + target]), 1e-12))
                    right[t] += best == target ? 1 : 0
                    count[t] += 1
                }
            }
            start += rows
        }
        return (0..<T).filter { count[$0] > 0 }.map { t in
            PositionScore(position: t, samples: count[t], loss: loss[t] / Double(count[t]), accuracy: Double(right[t]) / Double(count[t]))
        }
    }
}

/// What a sequence model does with one attention head changed (`HeadIntervention`): its loss
/// and accuracy at every scored position of a held-out set, changed and intact, side by side.
/// `Ablation` and `Patching` make them; the model is left as it was.
public struct HeadEffect: Equatable, Sendable {
    public var position: Int
    public var samples: Int
    public var loss: Double, accuracy: Double
    public var changedLoss: Double, changedAccuracy: Double

    /// Sample-weighted means over the positions: (loss, accuracy, changed loss, changed accuracy).
    public static func overall(_ effects: [HeadEffect]) -> (loss: Double, accuracy: Double, changedLoss: Double, changedAccuracy: Double) {
        let total = Double(max(effects.reduce(0) { $0 + $1.samples }, 1))
        func mean(_ f: (HeadEffect) -> Double) -> Double { effects.reduce(0) { $0 + f($1) * Double($1.samples) } / total }
        return (mean(\.loss), mean(\.accuracy), mean(\.changedLoss), mean(\.changedAccuracy))
    }

    /// The attention of head `head` in block `layer` (both from 0) of a GPT; nil when there is none.
    static func attention(of model: Sequential, layer: Int, head: Int) -> MultiHeadSelfAttention? {
        let blocks = model.layers.compactMap { $0 as? TransformerBlock }
        guard blocks.indices.contains(layer), (0..<blocks[layer].heads).contains(head) else { return nil }
        return blocks[layer].attention
    }

    static func pair(_ intact: [PositionScore], _ changed: [PositionScore]) -> [HeadEffect] {
        zip(intact, changed).map { a, b in
            HeadEffect(position: a.position, samples: a.samples, loss: a.loss, accuracy: a.accuracy,
                       changedLoss: b.loss, changedAccuracy: b.accuracy)
        }
    }
}
