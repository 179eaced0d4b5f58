import TensorCore

/// Token and position embedding, the first layer of a GPT (minGPT's `wte` + `wpe`).
///
///     shapes    x: (n, T) token ids stored as Float   W: (V, d)   P: (block, d)   y: (n, T, d)
///     forward   y[i, t] = W[x[i, t]] + P[t]
///     backward  dW[v] = Σ_{(i, t): x[i, t] = v} dy[i, t],   dP[t] = Σ_i dy[i, t]
///               no dx: ids are not differentiable (dx is zero-filled when asked for)
///
/// Unlike `Embedding`, id 0 is an ordinary token (the digit 0 of a sorting task), not padding.
/// `block` is the longest sequence the positions cover; a shorter input uses the first T rows
/// of P. Ids must be integers in 0..<V: the data generator makes them so, and `forward` checks
/// each with a precondition, as `Embedding` does. Initialisation: both tables ~ N(0, 0.02²),
/// as minGPT's `_init_weights`.
public final class TokenEmbedding: Layer {
    public let vocabulary: Int
    public let block: Int
    public let width: Int
    public let tokens: Parameter
    public let positions: Parameter
    public private(set) var length = 0

    public var typeName: String { "Tokens" }
    public var label: String { "Tokens \(vocabulary)→\(width) + \(block) positions" }
    public var parameters: [Parameter] { [tokens, positions] }
    public var config: LayerConfig { .tokenEmbedding(vocabulary: vocabulary, block: block, width: width) }

    /// Tables for `vocabulary` tokens and `block` positions of `width` values. Throws when a
    /// size is below 1.
    public init(vocabulary: Int, block: Int, width: Int) throws(ModelError) {
        for (field, value) in [("vocabulary", vocabulary), ("block", block), ("width", width)] where value < 1 {
            throw .invalidOption(field: "token embedding \(field)", expected: "an integer ≥ 1", got: "\(value)")
        }
        try ModelLimits.checkTensor("Tokens \(vocabulary)→\(width)", [vocabulary, width])
        try ModelLimits.checkTensor("Positions \(block)→\(width)", [block, width])
        self.vocabulary = vocabulary
        self.block = block
        self.width = width
        tokens = Parameter(name: "w", value: Tensor(shape: [vocabulary, width]), isRegularized: true)
        positions = Parameter(name: "p", value: Tensor(shape: [block, width]), isRegularized: true)
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 1, inputShape[0] >= 1, inputShape[0] <= block else {
            throw .shapeMismatch(layer: label, expected: "(None, length ≤ \(block)) of token ids",
                                 got: Tensor.describeBatched(inputShape))
        }
        length = inputShape[0]
        for table in [tokens, positions] {
            var t = Tensor(shape: table.value.shape)
            for i in 0..<t.count { t.scalars[i] = rng.normal(deviation: PositionwiseLinear.initialDeviation) }
            table.value = t
            table.gradient = Tensor(shape: t.shape)
        }
        return [length, width]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let d = width, v = vocabulary, T = length
        y.ensureShape(x.rows, T, d)
        x.scalars.withUnsafeBufferPointer { ids in
            tokens.value.scalars.withUnsafeBufferPointer { w in
                positions.value.scalars.withUnsafeBufferPointer { p in
                    y.scalars.withUnsafeMutableBufferPointer { yb in
                        for k in 0..<ids.count {
                            let id = Int(ids[k])
                            precondition(id >= 0 && id < v && Float(id) == ids[k],
                                         "token embedding: id \(ids[k]) outside 0..<\(v)")
                            let row = k * d, t = (k % T) * d
                            for j in 0..<d { yb[row + j] = w[id * d + j] + p[t + j] }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        let d = width, T = length
        tokens.gradient.fill(0)
        positions.gradient.fill(0)
        x.scalars.withUnsafeBufferPointer { ids in
            dy.scalars.withUnsafeBufferPointer { g in
                tokens.gradient.scalars.withUnsafeMutableBufferPointer { dw in
                    positions.gradient.scalars.withUnsafeMutableBufferPointer { dp in
                        guard let gp = g.baseAddress, let dwp = dw.baseAddress, let dpp = dp.baseAddress else { return }
                        for k in 0..<ids.count {
                            Kernels.add(gp + k * d, into: dwp + Int(ids[k]) * d, count: d)
                            Kernels.add(gp + k * d, into: dpp + (k % T) * d, count: d)
                        }
                    }
                }
            }
        }
        if needsInputGradient {
            if dx.shape != x.shape { dx.resize(to: x.shape) }
            dx.fill(0)
        }
    }
}
