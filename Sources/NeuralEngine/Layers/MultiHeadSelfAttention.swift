import Foundation
import CKernels
import TensorCore

/// Multi-head scaled dot-product self-attention (minGPT's `CausalSelfAttention`, Keras'
/// `MultiHeadAttention` with query = key = value).
///
///     shapes    x: (n, T, d)   h heads of width e = d / h   W_qkv: (d, 3d)   W_o: (d, d)
///     forward   [Q K V] = x W_qkv + b_qkv                    Q_h, K_h, V_h: (T, e) per sample
///               S_h = Q_h K_hᵀ / √e,   S_h[t, s] = −∞ for s > t when causal
///               A_h = softmax(S_h) row by row                 (the attention weights)
///               O = [A_1 V_1 … A_h V_h],   y = O W_o + b_o
///     backward  dO = dy W_oᵀ (and dW_o, db_o)
///               dA_h = dO_h V_hᵀ,   dV_h = A_hᵀ dO_h
///               dS_h = A_h ⊙ (dA_h − rowsum(dA_h ⊙ A_h)) / √e   (masked entries: A = 0, so 0)
///               dQ_h = dS_h K_h,   dK_h = dS_hᵀ Q_h,   then dx = d[Q K V] W_qkvᵀ (and dW_qkv, db_qkv)
///
/// The projections are one `gemm` over all n·T positions. The per-head products are CKernels'
/// `descent_attention_forward` and `…_backward` (C, so they run in AVX2 registers where the CPU
/// has them): loops over strided views of the Q/K/V buffer that skip the masked half, a row of
/// scores eight keys at a time from a transposed copy of the head's keys (values, backwards).
/// For gpt-nano they are 11 × 11 × 16, and as `gemm` calls (3,456 per update) OpenBLAS's
/// per-call cost was larger than their arithmetic (Docs/performance.md). All buffers are kept
/// between steps, so a warm step allocates nothing. `weights` holds the last
/// forward pass's A, what `show attention` draws.
public final class MultiHeadSelfAttention: Layer {
    public let heads: Int
    public let causal: Bool
    public private(set) var width = 0
    public private(set) var length = 0
    let inputProjection: PositionwiseLinear
    let outputProjection: PositionwiseLinear

    private var qkv = Tensor(shape: [0])
    private var context = Tensor(shape: [0])
    private var contextGradient = Tensor(shape: [0])
    private var qkvGradient = Tensor(shape: [0])
    private var scratch = Tensor(shape: [0])   // the C kernels' (descent_attention_scratch_count)
    /// A from the last forward pass, (n, heads, T, T): row t is how query position t spread its
    /// attention over the key positions.
    public private(set) var weights = Tensor(shape: [0])
    /// What the evaluation-mode pass does to one head's output (`ablate`, `patch`); nil for
    /// nothing. Training passes ignore it.
    public var intervention: HeadIntervention?

    public var typeName: String { "Attention" }
    public var label: String { "Attention \(heads)×\(width / max(heads, 1))" + (causal ? " causal" : "") }
    public var parameters: [Parameter] { inputProjection.parameters + outputProjection.parameters }
    public var config: LayerConfig { .selfAttention(heads: heads, causal: causal) }

    /// `prefix` goes before the parameter names (`attn.` inside a transformer block).
    public init(heads: Int, causal: Bool, prefix: String = "") throws(ModelError) {
        guard heads >= 1 else {
            throw .invalidOption(field: "attention heads", expected: "an integer ≥ 1", got: "\(heads)")
        }
        self.heads = heads
        self.causal = causal
        inputProjection = PositionwiseLinear(weightName: prefix + "qkv.w", biasName: prefix + "qkv.b")
        outputProjection = PositionwiseLinear(weightName: prefix + "proj.w", biasName: prefix + "proj.b")
    }

    private var headWidth: Int { width / heads }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 2, inputShape[0] >= 1, inputShape[1] >= 1 else {
            throw .shapeMismatch(layer: label, expected: "(None, length, width)", got: Tensor.describeBatched(inputShape))
        }
        guard inputShape[1] % heads == 0 else {
            throw .invalidOption(field: "attention width", expected: "a multiple of the \(heads) heads",
                                 got: "\(inputShape[1])")
        }
        try ModelLimits.checkTensor("Attention \(inputShape[1])→\(3 * inputShape[1])", [inputShape[1], 3 * inputShape[1]])
        length = inputShape[0]
        width = inputShape[1]
        inputProjection.build(inputs: width, outputs: 3 * width, rng: &rng)
        outputProjection.build(inputs: width, outputs: width, rng: &rng)
        return inputShape
    }

    public func largestProduct(batch: Int) -> Int { batch * length * width * 3 * width }
    /// The two projections plus, per sample and head, Q Kᵀ and A V (T·T·e each).
    public func multiplyAdds(batch: Int) -> Int {
        let rows = batch * length
        return inputProjection.multiplyAdds(rows: rows) + outputProjection.multiplyAdds(rows: rows)
            + 2 * batch * length * length * width
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let n = x.rows, T = length, d = width, e = headWidth, h = heads
        let rows = n * T
        let scale = 1 / Float(e).squareRoot()
        inputProjection.forward(x, rows: rows, into: &qkv)
        context.ensureShape(rows, d)
        ensureScratch()
        if !(weights.rank == 4 && weights.shape[0] == n && weights.shape[1] == h && weights.shape[2] == T) {
            weights.resize(n, h, T, T)
        }
        qkv.scalars.withUnsafeBufferPointer { qkvb in
            weights.scalars.withUnsafeMutableBufferPointer { ab in
                context.scalars.withUnsafeMutableBufferPointer { ob in
                    scratch.scalars.withUnsafeMutableBufferPointer { sb in
                        descent_attention_forward(qkvb.baseAddress, n, T, d, h, causal ? 1 : 0, scale, ab.baseAddress,
                                                  ob.baseAddress, sb.baseAddress)
                    }
                }
            }
        }
        if !training, let intervention { intervene(intervention, rows: rows) }
        y.ensureShape(n, T, d)
        outputProjection.forward(context, rows: rows, into: &y)
    }

    /// Head `head`'s output in the last forward pass (before the output projection mixes the
    /// heads), (n·T, e): what `patch` carries from a corrupted input into a clean one.
    public func headOutput(_ head: Int) -> Tensor {
        let d = width, e = headWidth, rows = d > 0 ? context.count / d : 0
        var out = Tensor(shape: [rows, e])
        guard head >= 0, head < heads else { return out }
        for r in 0..<rows { for i in 0..<e { out.scalars[r * e + i] = context.scalars[r * d + head * e + i] } }
        return out
    }

    private func intervene(_ intervention: HeadIntervention, rows: Int) {
        let d = width, e = headWidth
        switch intervention {
        case .zero(let head) where head >= 0 && head < heads:
            for r in 0..<rows { for i in 0..<e { context.scalars[r * d + head * e + i] = 0 } }
        case .replace(let head, let values) where head >= 0 && head < heads && values.count == rows * e:
            for r in 0..<rows { for i in 0..<e { context.scalars[r * d + head * e + i] = values.scalars[r * e + i] } }
        default: break
        }
    }

    private func ensureScratch() {
        let count = descent_attention_scratch_count(length, width, heads)
        if scratch.count != count { scratch.resize(count) }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        let n = x.rows, T = length, d = width, e = headWidth, h = heads
        let rows = n * T, stride = 3 * d
        let scale = 1 / Float(e).squareRoot()
        contextGradient.ensureShape(rows, d)
        contextGradient.scalars.withUnsafeMutableBufferPointer {
            outputProjection.backward(context, dy, rows: rows, into: $0.baseAddress!)
        }
        qkvGradient.ensureShape(rows, stride)
        ensureScratch()
        qkv.scalars.withUnsafeBufferPointer { qkvb in
            weights.scalars.withUnsafeBufferPointer { ab in
                contextGradient.scalars.withUnsafeBufferPointer { dob in
                    qkvGradient.scalars.withUnsafeMutableBufferPointer { dqkvb in
                        scratch.scalars.withUnsafeMutableBufferPointer { dsb in
                            descent_attention_backward(qkvb.baseAddress, ab.baseAddress, dob.baseAddress, n, T, d, h,
                                                       causal ? 1 : 0, scale, dqkvb.baseAddress, dsb.baseAddress)
                        }
                    }
                }
            }
        }
        guard needsInputGradient else {
            return inputProjection.backward(x, qkvGradient, rows: rows, into: nil)
        }
        if dx.shape != x.shape { dx.resize(to: x.shape) }
        dx.scalars.withUnsafeMutableBufferPointer {
            inputProjection.backward(x, qkvGradient, rows: rows, into: $0.baseAddress!)
        }
    }
}
