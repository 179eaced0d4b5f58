import CKernels
import TensorCore

/// A pre-norm transformer block (minGPT's `Block`, GPT-2's layout).
///
///     shapes    x, y: (n, T, d)
///     forward   h = x + Attn(LN₁(x))
///               y = h + W₂ GELU(W₁ LN₂(h) + b₁) + b₂        W₁: (d, 4d)   W₂: (4d, d)
///     backward  dh = dy + LN₂ᵀ(W₁ᵀ-path of dy)   (each sub-layer's own backward, chained)
///               dx = dh + LN₁ᵀ(Attnᵀ(dh))
///
/// The residual connections are why the block is one layer: `Sequential` is a chain with one
/// tensor between layers, and x must reach both the attention's output and the sum after it.
/// Parameters are named as minGPT's are, in short: `ln1.g`, `attn.qkv.w`, `attn.proj.w`,
/// `ln2.g`, `mlp.fc.w`, `mlp.proj.w` (and the biases `…b`). GELU is the exact one (erf).
/// No dropout inside the block.
///
/// Without its MLP (`mlp: false`, `LayerConfig.attentionBlock`) the block is y = x + Attn(LN₁(x))
/// alone, as in the attention-only transformers in which induction heads were found (Elhage et
/// al., 2021; Olsson et al., 2022): dx = dy + LN₁ᵀ(Attnᵀ(dy)), and it has no `ln2` or `mlp`
/// parameters.
public final class TransformerBlock: Layer {
    public let heads: Int
    public let causal: Bool
    /// False for an attention-only block.
    public let mlp: Bool
    public let firstNorm = LayerNorm(scaleName: "ln1.g", shiftName: "ln1.b")
    public let attention: MultiHeadSelfAttention
    public let secondNorm = LayerNorm(scaleName: "ln2.g", shiftName: "ln2.b")
    let expand = PositionwiseLinear(weightName: "mlp.fc.w", biasName: "mlp.fc.b")
    let contract = PositionwiseLinear(weightName: "mlp.proj.w", biasName: "mlp.proj.b")
    public private(set) var width = 0
    public private(set) var length = 0

    // Forward intermediates (n, T, d) or (n·T, 4d), kept for the backward pass.
    private var normed1 = Tensor(shape: [0]), attended = Tensor(shape: [0]), residual = Tensor(shape: [0])
    private var normed2 = Tensor(shape: [0]), hidden = Tensor(shape: [0]), activated = Tensor(shape: [0])
    private var hiddenCDF = Tensor(shape: [0])   // Φ(hidden), kept by GELU's forward for its backward
    // Backward buffers.
    private var dActivated = Tensor(shape: [0]), dHidden = Tensor(shape: [0]), dNormed2 = Tensor(shape: [0])
    private var dResidual = Tensor(shape: [0]), dNormed1 = Tensor(shape: [0])

    /// The MLP is this many times wider than the block (GPT's 4).
    public static let expansion = 4

    public var typeName: String { "Block" }
    public var label: String { "Block \(width) · \(heads) heads" + (causal ? " causal" : "") + (mlp ? "" : " · attention only") }
    public var parameters: [Parameter] {
        firstNorm.parameters + attention.parameters
            + (mlp ? secondNorm.parameters + expand.parameters + contract.parameters : [])
    }
    public var config: LayerConfig { mlp ? .transformerBlock(heads: heads, causal: causal) : .attentionBlock(heads: heads, causal: causal) }

    public init(heads: Int, causal: Bool, mlp: Bool = true) throws(ModelError) {
        self.heads = heads
        self.causal = causal
        self.mlp = mlp
        attention = try MultiHeadSelfAttention(heads: heads, causal: causal, prefix: "attn.")
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 2, inputShape[0] >= 1, inputShape[1] >= 1 else {
            throw .shapeMismatch(layer: label, expected: "(None, length, width)", got: Tensor.describeBatched(inputShape))
        }
        let d = inputShape[1]
        if mlp { try ModelLimits.checkTensor("Block MLP \(d)→\(Self.expansion * d)", [d, Self.expansion * d]) }
        _ = try firstNorm.build(inputShape: inputShape, rng: &rng)
        _ = try attention.build(inputShape: inputShape, rng: &rng)
        if mlp {
            _ = try secondNorm.build(inputShape: inputShape, rng: &rng)
            expand.build(inputs: d, outputs: Self.expansion * d, rng: &rng)
            contract.build(inputs: Self.expansion * d, outputs: d, rng: &rng)
        }
        length = inputShape[0]
        width = d
        return inputShape
    }

    public func largestProduct(batch: Int) -> Int {
        mlp ? batch * length * width * Self.expansion * width : attention.largestProduct(batch: batch)
    }
    public func multiplyAdds(batch: Int) -> Int {
        let rows = batch * length
        return attention.multiplyAdds(batch: batch) + (mlp ? expand.multiplyAdds(rows: rows) + contract.multiplyAdds(rows: rows) : 0)
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let n = x.rows, rows = n * length
        firstNorm.forward(x, into: &normed1, training: training)
        attention.forward(normed1, into: &attended, training: training)
        if !mlp {
            if y.shape != x.shape { y.resize(to: x.shape) }
            return add(x, attended, into: &y)
        }
        if residual.shape != x.shape { residual.resize(to: x.shape) }
        add(x, attended, into: &residual)
        secondNorm.forward(residual, into: &normed2, training: training)
        expand.forward(normed2, rows: rows, into: &hidden)
        activated.ensureShape(rows, expand.outputs)
        hiddenCDF.ensureShape(rows, expand.outputs)
        hidden.scalars.withUnsafeBufferPointer { z in
            activated.scalars.withUnsafeMutableBufferPointer { y in
                hiddenCDF.scalars.withUnsafeMutableBufferPointer { descent_gelu(z.baseAddress, y.baseAddress, $0.baseAddress, z.count) }
            }
        }
        y.ensureShape(n, length, width)
        contract.forward(activated, rows: rows, into: &y)
        y.scalars.withUnsafeMutableBufferPointer { yp in
            residual.scalars.withUnsafeBufferPointer { Kernels.add($0.baseAddress!, into: yp.baseAddress!, count: yp.count) }
        }
    }

    /// out = a + b, element by element (same counts).
    private func add(_ a: Tensor, _ b: Tensor, into out: inout Tensor) {
        out.scalars.withUnsafeMutableBufferPointer { o in
            a.scalars.withUnsafeBufferPointer { ap in
                b.scalars.withUnsafeBufferPointer { bp in
                    for i in o.indices { o[i] = ap[i] + bp[i] }
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        if !mlp {
            // dx = dy + LN₁ᵀ(Attnᵀ(dy)).
            attention.backward(normed1, attended, dy, into: &dNormed1, needsInputGradient: true)
            guard needsInputGradient else { return firstNorm.backpropagate(dNormed1, into: nil) }
            return firstNorm.backpropagate(dNormed1, adding: dy, into: &dx)
        }
        let rows = x.rows * length
        // MLP path: dy → d(activated) → d(hidden) → d(normed2) → added to dh with dy itself.
        dActivated.ensureShape(rows, expand.outputs)
        dActivated.scalars.withUnsafeMutableBufferPointer { contract.backward(activated, dy, rows: rows, into: $0.baseAddress!) }
        dHidden.ensureShape(rows, expand.outputs)
        hidden.scalars.withUnsafeBufferPointer { z in
            hiddenCDF.scalars.withUnsafeBufferPointer { cdf in
                dActivated.scalars.withUnsafeBufferPointer { dy in
                    dHidden.scalars.withUnsafeMutableBufferPointer {
                        descent_gelu_backward(z.baseAddress, cdf.baseAddress, dy.baseAddress, $0.baseAddress, z.count)
                    }
                }
            }
        }
        dNormed2.ensureShape(rows, width)
        dNormed2.scalars.withUnsafeMutableBufferPointer { expand.backward(normed2, dHidden, rows: rows, into: $0.baseAddress!) }
        secondNorm.backpropagate(dNormed2, adding: dy, into: &dResidual)
        // Attention path: dh → d(normed1) → dx = dh + LN₁ᵀ(…).
        attention.backward(normed1, attended, dResidual, into: &dNormed1, needsInputGradient: true)
        guard needsInputGradient else { return firstNorm.backpropagate(dNormed1, into: nil) }
        firstNorm.backpropagate(dNormed1, adding: dResidual, into: &dx)
    }
}
