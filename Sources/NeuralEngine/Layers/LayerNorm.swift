import Foundation
import CKernels
import TensorCore

/// Layer normalisation over the last dimension (PyTorch's `nn.LayerNorm(d)`, Keras'
/// `LayerNormalization`), with a learned scale γ and shift β.
///
///     per row x (d values)   μ = Σ x / d,   σ² = Σ (x − μ)² / d,   r = 1 / √(σ² + ε)
///     forward                x̂ = (x − μ) r,   y = γ ⊙ x̂ + β                    ε = 1e-5
///     backward               dγ = Σ_rows dy ⊙ x̂,   dβ = Σ_rows dy,   g = dy ⊙ γ
///                            dx = r (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂))
///
/// Rows are every position of every sample: a (n, T, d) input is n·T rows. γ starts at 1 and
/// β at 0, as in PyTorch. The forward keeps x̂ and r for the backward pass. Both passes are
/// CKernels' `descent_layer_norm…` (eight lanes at a time, sums in Float).
public final class LayerNorm: Layer {
    /// PyTorch's default ε.
    public static let epsilon: Float = 1e-5

    public let scale: Parameter
    public let shift: Parameter
    public private(set) var width = 0
    private var normalized = Tensor(shape: [0])   // x̂, as (rows, d)
    private var reciprocal = Tensor(shape: [0])   // r per row

    public var typeName: String { "LayerNorm" }
    public var label: String { "LayerNorm \(width)" }
    public var parameters: [Parameter] { [scale, shift] }
    public var config: LayerConfig { .layerNorm }

    /// Parameter names: `g` and `b` by default; the block names its two `ln1.g`, `ln2.g` ….
    public init(scaleName: String = "g", shiftName: String = "b") {
        scale = Parameter(name: scaleName, value: Tensor(shape: [0]), isRegularized: false)
        shift = Parameter(name: shiftName, value: Tensor(shape: [0]), isRegularized: false)
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard let d = inputShape.last, d >= 1 else {
            throw .shapeMismatch(layer: label, expected: "(None, …, features)", got: Tensor.describeBatched(inputShape))
        }
        width = d
        scale.value = Tensor(shape: [d], repeating: 1)
        scale.gradient = Tensor(shape: [d])
        shift.value = Tensor(shape: [d])
        shift.gradient = Tensor(shape: [d])
        return inputShape
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let d = width, rows = x.count / max(d, 1)
        if y.shape != x.shape { y.resize(to: x.shape) }
        normalized.ensureShape(rows, d)
        if reciprocal.count != rows { reciprocal.resize(rows) }
        x.scalars.withUnsafeBufferPointer { xp in
            normalized.scalars.withUnsafeMutableBufferPointer { h in
                reciprocal.scalars.withUnsafeMutableBufferPointer { r in
                    y.scalars.withUnsafeMutableBufferPointer { yp in
                        scale.value.scalars.withUnsafeBufferPointer { g in
                            shift.value.scalars.withUnsafeBufferPointer { b in
                                descent_layer_norm(xp.baseAddress, rows, d, Self.epsilon, g.baseAddress, b.baseAddress,
                                                   h.baseAddress, r.baseAddress, yp.baseAddress)
                            }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        guard needsInputGradient else { return backpropagate(dy, into: nil) }
        if dx.shape != x.shape { dx.resize(to: x.shape) }
        backpropagate(dy, into: &dx)
    }

    /// The backward pass writing dx through a pointer (nil: parameter gradients only), so the
    /// transformer block can send it into its own buffers; with `adding`, dx = adding + LNᵀ(dy)
    /// (`adding` may be dx itself).
    func backpropagate(_ dy: Tensor, adding: UnsafePointer<Float>? = nil, into dx: UnsafeMutablePointer<Float>?) {
        let d = width, rows = normalized.rows
        scale.gradient.fill(0)
        shift.gradient.fill(0)
        dy.scalars.withUnsafeBufferPointer { g in
            normalized.scalars.withUnsafeBufferPointer { h in
                reciprocal.scalars.withUnsafeBufferPointer { r in
                    scale.value.scalars.withUnsafeBufferPointer { gamma in
                        scale.gradient.scalars.withUnsafeMutableBufferPointer { dg in
                            shift.gradient.scalars.withUnsafeMutableBufferPointer { db in
                                descent_layer_norm_backward(g.baseAddress, h.baseAddress, r.baseAddress, rows, d,
                                                            gamma.baseAddress, dg.baseAddress, db.baseAddress, adding, dx)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension LayerNorm {
    /// `backpropagate` into a tensor already shaped like x: dx = LNᵀ(dy).
    func backpropagate(_ dy: Tensor, into dx: inout Tensor) {
        dx.scalars.withUnsafeMutableBufferPointer { backpropagate(dy, into: $0.baseAddress!) }
    }

    /// dx = base + LNᵀ(dy): the backward pass of a residual connection around the norm's
    /// branch, in one pass.
    func backpropagate(_ dy: Tensor, adding base: Tensor, into dx: inout Tensor) {
        if dx.shape != base.shape { dx.resize(to: base.shape) }
        base.scalars.withUnsafeBufferPointer { b in
            dx.scalars.withUnsafeMutableBufferPointer { backpropagate(dy, adding: b.baseAddress, into: $0.baseAddress!) }
        }
    }
}
