import TensorCore

/// The per-position output head of a GPT (minGPT's `lm_head`): logits over the vocabulary at
/// every position, without bias.
///
///     shapes    x: (n, T, d)   W: (d, V)   y: (n, T, V)
///     forward   y[i, t] = x[i, t] W
///     backward  dW = Σ_(i,t) x[i, t]ᵀ dy[i, t],   dx[i, t] = dy[i, t] Wᵀ
///
/// A softmax cross-entropy loss reads y position by position (targets (n, T)).
public final class TokenHead: Layer {
    public let vocabulary: Int
    let linear = PositionwiseLinear(weightName: "w", biasName: nil)
    public private(set) var length = 0

    public var typeName: String { "Head" }
    public var label: String { "Head \(linear.inputs)→\(vocabulary)" }
    public var parameters: [Parameter] { linear.parameters }
    public var config: LayerConfig { .tokenHead(vocabulary: vocabulary) }

    public init(vocabulary: Int) throws(ModelError) {
        guard vocabulary >= 1 else {
            throw .invalidOption(field: "head vocabulary", expected: "an integer ≥ 1", got: "\(vocabulary)")
        }
        self.vocabulary = vocabulary
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 2, inputShape[0] >= 1, inputShape[1] >= 1 else {
            throw .shapeMismatch(layer: label, expected: "(None, length, width)", got: Tensor.describeBatched(inputShape))
        }
        try ModelLimits.checkTensor("Head \(inputShape[1])→\(vocabulary)", [inputShape[1], vocabulary])
        length = inputShape[0]
        linear.build(inputs: inputShape[1], outputs: vocabulary, rng: &rng)
        return [length, vocabulary]
    }

    public func largestProduct(batch: Int) -> Int { linear.multiplyAdds(rows: batch * length) }
    public func multiplyAdds(batch: Int) -> Int { linear.multiplyAdds(rows: batch * length) }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        y.ensureShape(x.rows, length, vocabulary)
        linear.forward(x, rows: x.rows * length, into: &y)
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        let rows = x.rows * length
        guard needsInputGradient else { return linear.backward(x, dy, rows: rows, into: nil) }
        if dx.shape != x.shape { dx.resize(to: x.shape) }
        dx.scalars.withUnsafeMutableBufferPointer { linear.backward(x, dy, rows: rows, into: $0.baseAddress!) }
    }
}
