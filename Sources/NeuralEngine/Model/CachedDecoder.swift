import Foundation
import CKernels
import TensorCore

/// A GPT's forward pass one position at a time, keeping every block's keys and values (a KV
/// cache), so that writing a symbol costs one position's work instead of the whole window's.
///
///     for each sequence (a slot of the caches) at its own position t:
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
    /// Each slot's next position (the one `step` writes at); nil for a free slot. A slot is one
    /// sequence's place in the caches; sequences at different positions step together.
    public private(set) var positions: [Int?] = []
    // Per block: keys and values, (capacity, block, d) each: a slot's rows stay where they are.
    private var keys: [Tensor] = []
    private var values: [Tensor] = []
    /// Slots the caches hold now; they are let go when the last slot closes, so a burst of
    /// requests does not keep its memory.
    public private(set) var capacity = 0
    // One position's activations for the slots of a step, (rows, …).
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

    /// A new sequence at position 0 in a free slot (the caches grow when none is free).
    public func open() -> Int {
        if let free = positions.firstIndex(of: nil) {
            positions[free] = 0
            return free
        }
        positions.append(0)
        if positions.count > capacity { grow(to: max(4, 2 * capacity)) }
        return positions.count - 1
    }

    /// Frees `slot` for another sequence; the caches go with the last one.
    public func close(_ slot: Int) {
        positions[slot] = nil
        while positions.last == .some(nil) { positions.removeLast() }
        if positions.isEmpty {
            keys = []
            values = []
            capacity = 0
        }
    }

    /// Closes every slot, then opens `rows` new sequences in slots 0..<rows.
    public func reset(rows: Int) {
        positions.removeAll()
        for _ in 0..<rows { _ = open() }
    }

    /// Reads one id per slot in `slots`, each at its own position, and returns the probabilities
    /// of each one's next symbol, (slots, vocabulary) row-major. Needs every position `< block`.
    /// A slot's result depends only on its own sequence, up to the last bits: the others in the
    /// step change the shapes the layers multiply, and a BLAS kernel may sum a row's products in
    /// another order for another shape (OpenBLAS's Haswell kernel does, its SkylakeX one did not
    /// in `WritingBatchTests`).
    public func step(slots: [Int], ids: [Int]) -> [Float] {
        let rows = slots.count, d = width
        precondition(ids.count == rows, "cached decoder: \(ids.count) ids for \(rows) slots")
        let at = slots.map { slot -> Int in
            guard slot >= 0, slot < positions.count, let t = positions[slot], t < block else {
                preconditionFailure("cached decoder: slot \(slot) is not open below position \(block)")
            }
            return t
        }
        x.ensureShape(rows, d)
        embedding.tokens.value.scalars.withUnsafeBufferPointer { e in
            embedding.positions.value.scalars.withUnsafeBufferPointer { p in
                for (r, id) in ids.enumerated() {
                    precondition(id >= 0 && id < vocabulary, "cached decoder: id \(id) outside 0..<\(vocabulary)")
                    for j in 0..<d { x.scalars[r * d + j] = e[id * d + j] + p[at[r] * d + j] }
                }
            }
        }
        for (b, layer) in blocks.enumerated() {
            layer.firstNorm.forward(x, into: &normed, training: false)
            layer.attention.inputProjection.forward(normed, rows: rows, into: &qkv)
            attend(block: b, heads: layer.heads, slots: slots, at: at)
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
        for (slot, t) in zip(slots, at) { positions[slot] = t + 1 }
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

    /// `step` for slots 0..<ids.count (as `reset(rows:)` opened them).
    public func step(ids: [Int]) -> [Float] { step(slots: Array(ids.indices), ids: ids) }

    /// Room for `count` slots, the filled caches kept.
    private func grow(to count: Int) {
        let stride = block * width
        func grown(_ cache: Tensor?) -> Tensor {
            var out = Tensor(shape: [count, block, width])
            if let cache { for i in 0..<(capacity * stride) { out.scalars[i] = cache.scalars[i] } }
            return out
        }
        keys = blocks.indices.map { grown(keys.isEmpty ? nil : keys[$0]) }
        values = blocks.indices.map { grown(values.isEmpty ? nil : values[$0]) }
        capacity = count
    }

    /// Stores each slot's keys and values at its position t, then each head's attention over
    /// its positions 0…t.
    private func attend(block b: Int, heads: Int, slots: [Int], at: [Int]) {
        let d = width, e = d / heads, stride = block * d
        let scale = 1 / Float(e).squareRoot()
        context.ensureShape(slots.count, d)
        if scores.count < block { scores = [Float](repeating: 0, count: block) }
        qkv.scalars.withUnsafeBufferPointer { q in
            keys[b].scalars.withUnsafeMutableBufferPointer { k in
                values[b].scalars.withUnsafeMutableBufferPointer { v in
                    context.scalars.withUnsafeMutableBufferPointer { o in
                        for (r, slot) in slots.enumerated() {
                            let row = r * 3 * d, cache = slot * stride, t = at[r]
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
