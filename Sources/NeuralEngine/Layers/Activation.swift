import Foundation
import CKernels
import TensorCore

/// Activation functions, elementwise except softmax (row-wise over the last dimension).
///
///     linear     y = z                              dz = dy
///     relu       y = max(0, z)                      dz = dy ⊙ [z > 0]
///     leakyrelu  y = z if z > 0 else α z (α=0.01)  dz = dy ⊙ (1 if z > 0 else α)
///     tanh       y = tanh z                         dz = dy ⊙ (1 − y²)   (XLA's rational fit, ≤ 6 ulp)
///     sigmoid    y = 1 / (1 + e^(−z))               dz = dy ⊙ y (1 − y)
///     softmax    y_i = e^(z_i) / Σ_j e^(z_j)        dz = y ⊙ (dy − Σ_j dy_j y_j)
///     gelu       y = z Φ(z) = ½ z (1 + erf(z/√2))   dz = dy ⊙ (Φ(z) + z φ(z))   (erf: XLA's rational fit)
public enum Activation: String, CaseIterable, Sendable, Codable {
    case linear, relu, leakyrelu, tanh, sigmoid, softmax, gelu

    /// The activation a layer's output has been through, if any (a Dense or Conv2D with its
    /// own, an activation layer, a SimpleRNN's tanh).
    public static func output(of layer: any Layer) -> Activation? {
        switch layer {
        case let dense as Dense: dense.appliesActivation ? dense.activation : nil
        case let conv as Conv2D: conv.activation
        case let layer as ActivationLayer: layer.activation
        case is SimpleRNN: .tanh
        default: nil
        }
    }

    /// The values the activation can take when they are bounded: tanh −1…1, sigmoid and
    /// softmax 0…1; nil for the unbounded ones.
    public var bounds: ClosedRange<Float>? {
        switch self {
        case .tanh: -1...1
        case .sigmoid, .softmax: 0...1
        case .linear, .relu, .leakyrelu, .gelu: nil
        }
    }

    /// LeakyReLU's slope for negative inputs (PyTorch's default; Keras uses 0.3).
    public static let leakySlope: Float = 0.01

    /// The name Keras gives the layer.
    public var typeName: String {
        switch self {
        case .linear: return "Linear"
        case .relu: return "ReLU"
        case .leakyrelu: return "LeakyReLU"
        case .tanh: return "Tanh"
        case .sigmoid: return "Sigmoid"
        case .softmax: return "Softmax"
        case .gelu: return "GELU"
        }
    }

    /// True when the backward pass needs the input z (the output y is not enough).
    public var needsInput: Bool { self == .gelu }

    /// y = f(z) in place over `p`, rows of `columns` elements.
    public func apply(_ p: UnsafeMutableBufferPointer<Float>, columns: Int) {
        switch self {
        case .linear: return
        case .relu: Kernels.map(p, Kernels.relu)
        case .leakyrelu: Kernels.map(p) { Kernels.leakyRelu($0, slope: Activation.leakySlope) }
        case .tanh: Kernels.map(p, Kernels.tanh)
        case .sigmoid: for i in p.indices { p[i] = Activation.sigmoid(p[i]) }
        case .gelu: descent_gelu(p.baseAddress, p.baseAddress, nil, p.count)
        case .softmax:
            guard columns > 0 else { return }
            var start = 0
            while start < p.count {
                var m = -Float.infinity
                for j in start..<start + columns { m = max(m, p[j]) }
                var s: Float = 0
                for j in start..<start + columns { p[j] = exp(p[j] - m); s += p[j] }
                let inv = 1 / s
                for j in start..<start + columns { p[j] *= inv }
                start += columns
            }
        }
    }

    /// y = f(y + b) for rows of `columns` elements and a bias `b` of `columns` elements: a dense
    /// layer's bias and activation in one pass (eight lanes at a time where f allows).
    public func apply(_ p: UnsafeMutableBufferPointer<Float>, addingRow b: UnsafeBufferPointer<Float>,
                      columns: Int) {
        switch self {
        case .relu: Kernels.map(p, addingRow: b, columns: columns, Kernels.relu)
        case .tanh: Kernels.map(p, addingRow: b, columns: columns, Kernels.tanh)
        case .leakyrelu:
            Kernels.map(p, addingRow: b, columns: columns) { Kernels.leakyRelu($0, slope: Activation.leakySlope) }
        default:
            Kernels.map(p, addingRow: b, columns: columns) { $0 }
            apply(p, columns: columns)
        }
    }

    /// dz from dy, given the output y (and the input z when `needsInput`), row width `columns`.
    /// `dz` may alias `dy`'s values only through copies: callers pass separate buffers.
    public func gradient(z: UnsafeBufferPointer<Float>?, y: UnsafeBufferPointer<Float>,
                         dy: UnsafeBufferPointer<Float>, dz: UnsafeMutableBufferPointer<Float>,
                         columns: Int) {
        switch self {
        case .linear: for i in dz.indices { dz[i] = dy[i] }
        case .relu: Kernels.map(y, dy, into: dz) { y, dy in dy.replacing(with: 0, where: .!(y .> 0)) }
        case .leakyrelu:
            Kernels.map(y, dy, into: dz) { y, dy in (dy * Activation.leakySlope).replacing(with: dy, where: y .> 0) }
        case .tanh: Kernels.map(y, dy, into: dz) { y, dy in dy * (1 - y * y) }
        case .sigmoid: Kernels.map(y, dy, into: dz) { y, dy in dy * y * (1 - y) }
        case .gelu: descent_gelu_backward(z!.baseAddress, nil, dy.baseAddress, dz.baseAddress, dz.count)
        case .softmax:
            var start = 0
            while start < dz.count {
                var dot: Float = 0
                for j in start..<start + columns { dot += dy[j] * y[j] }
                for j in start..<start + columns { dz[j] = y[j] * (dy[j] - dot) }
                start += columns
            }
        }
    }

    /// dz from dy for tensors: `z` is the activation's input (read only when `needsInput`), `y`
    /// its output; `dz` must already have dy's element count. Used by every layer with a fused
    /// or standalone activation.
    public func gradient(z: Tensor, y: Tensor, dy: Tensor, into dz: inout Tensor, columns: Int) {
        z.scalars.withUnsafeBufferPointer { zp in
            y.scalars.withUnsafeBufferPointer { yp in
                dy.scalars.withUnsafeBufferPointer { dyp in
                    dz.scalars.withUnsafeMutableBufferPointer { dzp in
                        gradient(z: zp, y: yp, dy: dyp, dz: dzp, columns: columns)
                    }
                }
            }
        }
    }

    /// σ(z), computed without overflow for any finite z.
    @inline(__always) public static func sigmoid(_ z: Float) -> Float {
        if z >= 0 { return 1 / (1 + exp(-z)) }
        let e = exp(z)
        return e / (1 + e)
    }
}

/// A standalone activation layer: y = f(x), no parameters. Formulas: see `Activation`.
public final class ActivationLayer: Layer {
    public let activation: Activation
    public var typeName: String { activation.typeName }
    public var label: String { activation.typeName }
    public var parameters: [Parameter] { [] }
    public var config: LayerConfig { .activation(activation) }

    public init(_ activation: Activation) { self.activation = activation }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        inputShape
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        y.assign(x)
        let columns = x.shape.last ?? 1
        y.scalars.withUnsafeMutableBufferPointer { activation.apply($0, columns: columns) }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        dx.resize(to: x.shape)
        let columns = x.shape.last ?? 1
        activation.gradient(z: x, y: y, dy: dy, into: &dx, columns: columns)
    }
}
