import Foundation
import CKernels
import TensorCore

/// A GPT's forward pass one position at a time, keeping every block's keys and values (a KV
/// cache), so that writing a symbol costs one position's work instead of the whole window's.
///
///     at position t, for each row r (all rows at the same position):
///       x = E[id] + P[t]                                            (d)
///       per block:  a = LN₁(x),  [q k v] = a W_qkv + b_qkv,  K[t] = k,  V[t] = v
///                   per head h:  s_j = q_h · K_h[j] / √e  (j ≤ t),  p = softmax(s),  o_h = Σ_j p_j V_h[j]
///                   x ← x + o W_o + b_o
///                   x ← x + W₂ GELU(W₁ LN₂(x) + b₁) + b₂       (not in an attention-only block)
///       probabilities = softmax(LN(x) W_head)
///
/// It is the same computation as the full causal pass at position t (a causal model's earlier
/// positions never see later ones), through the same layers' own kernels for the norms, the
/// projections and GELU; only the order of additions inside the attention differs, so the
/// probabilities agree with `Sequential.predict` to float rounding (checked in the tests), not
/// bit for bit. Positions are absolute: once a sequence is longer than the block, the window
/// slides, every position's embedding changes, and the cache no longer holds; `Sampling` then
/// goes back to the whole window's pass.
///
/// It reads and uses the layers of `model`, whose scratch buffers it shares: give it a model
/// nobody else runs meanwhile (an `InferenceModel`'s own copy).
public final class CachedDecoder {
    let embedding: TokenEmbedding
    let blocks: [TransformerBlock]
    let finalNorm: LayerNorm
    let head: TokenHead
    public let block: Int
    let width: Int
    let vocabulary: Int
    /// Rows being written and the position the next `step` writes at.
    public private(set) var rows = 0
    public private(set) var position = 0
    // Per block: keys and values, (rows, block, d) each.
    private var keys: [Tensor] = []
    private var values: [Tensor] = []
    // One position's activations, (rows, …).
    private var x = Tensor(shape: [0]), normed = Tensor(shape: [0]), qkv = Tensor(shape: [0])
    private var context = Tensor(shape: [0]), projected = Tensor(shape: [0])
    private var hidden = Tensor(shape: [0]), activated = Tensor(shape: [0]), cdf = Tensor(shape: [0])
    private var logits = Tensor(shape: [0])
    private var scores: [Float] = []

    /// Nil unless `model` is a built GPT: token embedding, transformer blocks, a norm and a
    /// token head (then the softmax, folded or not).
    public init?(_ model: Sequential) {
        var layers = model.layers[...]
        if let last = layers.last as? ActivationLayer, last.activation == .softmax { layers = layers.dropLast() }
        guard let embedding = layers.first as? TokenEmbedding, let head = layers.last as? TokenHead,
              let norm = layers.dropLast().last as? LayerNorm, embedding.length > 0 else { return nil }
        let middle = layers.dropFirst().dropLast(2)
        let blocks = middle.compactMap { $0 as? TransformerBlock }
        guard blocks.count == middle.count, !blocks.isEmpty, blocks.allSatisfy({ $0.causal }) else { return nil }
        self.embedding = embedding
        self.blocks = blocks
        self.finalNorm = norm
        self.head = head
        block = embedding.length
        width = embedding.width
        vocabulary = embedding.vocabulary
    }

    /// Starts `rows` new sequences at position 0.
    public func reset(rows: Int) {
        self.rows = rows
        position = 0
        let count = rows * block * width
        if keys.count != blocks.count || keys.first?.count != count {
            keys = blocks.map { _ in Tensor(shape: [rows, block, width]) }
            values = blocks.map { _ in Tensor(shape: [rows, block, width]) }
        }
    }

    /// Keeps only the rows `kept` (in that order), their caches with them.
    public func keep(rows kept: [Int]) {
        guard kept != Array(0..<rows) else { return }
        let stride = block * width, filled = position * width
        func compacted(_ cache: Tensor) -> Tensor {
            var out = Tensor(shape: [kept.count, block, width])
            for (to, from) in kept.enumerated() {
                for i in 0..<filled { out.scalars[to * stride + i] = cache.scalars[from * stride + i] }
            }
            return out
        }
        keys = keys.map(compacted)
        values = values.map(compacted)
        rows = kept.count
    }

    /// Reads one id per row at the current position and returns the probabilities of the next
    /// symbol, (rows, vocabulary) row-major. Needs `position < block`.
    public func step(ids: [Int]) -> [Float] {
        precondition(ids.count == rows && position < block, "cached decoder: \(ids.count) ids for \(rows) rows at \(position) of \(block)")
        let d = width, t = position
        x.ensureShape(rows, d)
        embedding.tokens.value.scalars.withUnsafeBufferPointer { e in
            embedding.positions.value.scalars.withUnsafeBufferPointer { p in
                for (r, id) in ids.enumerated() {
                    precondition(id >= 0 && id < vocabulary, "cached decoder: id \(id) outside 0..<\(vocabulary)")
                    for j in 0..<d { x.scalars[r * d + j] = e[id * d + j] + p[t * d + j] }
                }
            }
        }
        for (b, layer) in blocks.enumerated() {
            layer.firstNorm.forward(x, into: &normed, training: false)
            layer.attention.inputProjection.forward(normed, rows: rows, into: &qkv)
            attend(block: b, heads: layer.heads)
            if case .zero(let silenced)? = layer.attention.intervention, silenced >= 0, silenced < layer.heads {
                let e = d / layer.heads   // `ablate`: the head's output set to zero, as in the full pass
                for r in 0..<rows { for i in 0..<e { context.scalars[r * d + silenced * e + i] = 0 } }
            }
            layer.attention.outputProjection.forward(context, rows: rows, into: &projected)
            add(projected, into: &x)
            guard layer.mlp else { continue }
            layer.secondNorm.forward(x, into: &normed, training: false)
            layer.expand.forward(normed, rows: rows, into: &hidden)
            activated.ensureShape(hidden.shape[0], hidden.count / max(hidden.shape[0], 1))
            cdf.ensureShape(activated.shape[0], activated.shape[1])
            hidden.scalars.withUnsafeBufferPointer { z in
                activated.scalars.withUnsafeMutableBufferPointer { y in
                    cdf.scalars.withUnsafeMutableBufferPointer { descent_gelu(z.baseAddress, y.baseAddress, $0.baseAddress, z.count) }
                }
            }
            layer.contract.forward(activated, rows: rows, into: &projected)
            add(projected, into: &x)
        }
        finalNorm.forward(x, into: &normed, training: false)
        head.linear.forward(normed, rows: rows, into: &logits)
        position += 1
        var out = [Float](repeating: 0, count: rows * vocabulary)
        for r in 0..<rows {
            let base = r * vocabulary
            var top = -Float.infinity
            for i in 0..<vocabulary { top = max(top, logits.scalars[base + i]) }
            var sum: Float = 0
            for i in 0..<vocabulary {
                let e = exp(logits.scalars[base + i] - top)
                out[base + i] = e
                sum += e
            }
            for i in 0..<vocabulary { out[base + i] /= sum }
        }
        return out
    }

    /// Stores this position's keys and values, then each head's attention over positions 0…t.
    private func attend(block b: Int, heads: Int) {
        let d = width, e = d / heads, t = position, stride = block * d
        let scale = 1 / Float(e).squareRoot()
        context.ensureShape(rows, d)
        if scores.count < t + 1 { scores = [Float](repeating: 0, count: block) }
        qkv.scalars.withUnsafeBufferPointer { q in
            keys[b].scalars.withUnsafeMutableBufferPointer { k in
                values[b].scalars.withUnsafeMutableBufferPointer { v in
                    context.scalars.withUnsafeMutableBufferPointer { o in
                        for r in 0..<rows {
                            let row = r * 3 * d, cache = r * stride
                            for j in 0..<d {
                                k[cache + t * d + j] = q[row + d + j]
                                v[cache + t * d + j] = q[row + 2 * d + j]
                            }
                            for h in 0..<heads {
                                let off = h * e
                                var top = -Float.infinity
                                for s in 0...t {
                                    var dot: Float = 0
                                    for i in 0..<e { dot += q[row + off + i] * k[cache + s * d + off + i] }
                                    scores[s] = dot * scale
                                    top = max(top, scores[s])
                                }
                                var sum: Float = 0
                                for s in 0...t {
                                    scores[s] = exp(scores[s] - top)
                                    sum += scores[s]
                                }
                                for i in 0..<e { o[r * d + off + i] = 0 }
                                for s in 0...t {
                                    let p = scores[s] / sum
                                    for i in 0..<e { o[r * d + off + i] += p * v[cache + s * d + off + i] }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// x += y, element by element.
    private func add(_ y: Tensor, into x: inout Tensor) {
        x.scalars.withUnsafeMutableBufferPointer { xp in
            y.scalars.withUnsafeBufferPointer { Kernels.add($0.baseAddress!, into: xp.baseAddress!, count: xp.count) }
        }
    }
}
