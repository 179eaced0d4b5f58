import Foundation
import TensorCore

/// What a sequence model does without one attention head (`ablate LxHy`): its loss and accuracy
/// at every scored position of a held-out set, with the head's output set to zero and intact,
/// side by side (zero ablation, as in Olsson et al., 2022).
///
///     per position t:  loss_t = mean over samples with a target at t of −log p(target)
///                      accuracy_t = the share of them whose likeliest symbol is the target
///
/// The model is run in evaluation mode, in batches, and left as it was.
public enum Ablation {
    public struct Position: Equatable, Sendable {
        /// The position (from 0) of the input symbol whose next symbol is predicted.
        public var position: Int
        public var samples: Int
        public var loss: Double, accuracy: Double
        public var ablatedLoss: Double, ablatedAccuracy: Double
    }

    /// Per scored position of (x, y) — ids (n, T), targets (n, T) with −1 where nothing is
    /// scored — with head `head` of block `layer` (both from 0) silenced and not. Nil when the
    /// model is not a GPT or has no such head.
    public static func measure(_ model: Sequential, x: Tensor, y: Tensor, layer: Int, head: Int) -> [Position]? {
        let blocks = model.layers.compactMap { $0 as? TransformerBlock }
        guard blocks.indices.contains(layer), (0..<blocks[layer].heads).contains(head) else { return nil }
        guard let intact = perPosition(model, x: x, y: y) else { return nil }
        blocks[layer].attention.silenced = head
        defer { blocks[layer].attention.silenced = nil }
        guard let ablated = perPosition(model, x: x, y: y) else { return nil }
        return zip(intact, ablated).map { a, b in
            Position(position: a.position, samples: a.samples, loss: a.loss, accuracy: a.accuracy,
                     ablatedLoss: b.loss, ablatedAccuracy: b.accuracy)
        }
    }

    /// Loss and accuracy at each position that has targets.
    static func perPosition(_ model: Sequential, x: Tensor, y: Tensor) -> [(position: Int, samples: Int, loss: Double, accuracy: Double)]? {
        guard x.rank == 2, y.shape == x.shape else { return nil }
        let n = x.shape[0], T = x.shape[1], batch = 256
        var loss = [Double](repeating: 0, count: T), right = [Int](repeating: 0, count: T), count = [Int](repeating: 0, count: T)
        var start = 0
        while start < n {
            let rows = min(batch, n - start)
            let slice = (try? Tensor(shape: [rows, T], scalars: Array(x.scalars[(start * T)..<((start + rows) * T)]))) ?? Tensor(shape: [0])
            guard let p = try? model.predict(slice), p.count % (rows * T) == 0 else { return nil }
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
            (t, count[t], loss[t] / Double(count[t]), Double(right[t]) / Double(count[t]))
        }
    }
}
