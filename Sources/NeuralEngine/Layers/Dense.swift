import Foundation
import TensorCore

/// A fully connected layer with an optional fused activation f.
///
///     forward   z = x W + b,   y = f(z)          x: (n, in)  W: (in, out)  b: (out)  y: (n, out)
///     backward  dz = dy ⊙ f′  (see `Activation`)
///               dW = xᵀ dz,   db = Σ_rows dz,   dx = dz Wᵀ
///
/// W is stored `(in, out)` like a Keras kernel. Initialisation: He uniform
/// (limit √(6/in)) for the ReLU family, Glorot/Xavier uniform (limit √(6/(in+out))) otherwise;
/// the bias starts at zero. Both products go through `matmul`, transposes passed to BLAS.
public final class Dense: Layer {
    public let units: Int
    public let activation: Activation
    /// When false, forward stops at z: the model folds a final sigmoid/softmax into its loss
    /// (binary or softmax cross-entropy from logits) and applies it only for predictions.
    public internal(set) var appliesActivation = true
    public private(set) var inputSize = 0
    public let weight: Parameter
    public let bias: Parameter

    private var preactivation = Tensor(shape: [0])   // z, kept only when f needs it
    private var dz = Tensor(shape: [0])

    public var typeName: String { "Dense" }
    public var label: String {
        "Dense \(inputSize)→\(units)" + (activation == .linear ? "" : " \(activation.rawValue)")
    }
    public var parameters: [Parameter] { [weight, bias] }
    public var config: LayerConfig { .dense(units: units, activation: activation) }

    /// x W, Xᵀ dz and dz Wᵀ all multiply batch × in × units.
    public func largestProduct(batch: Int) -> Int { batch * inputSize * units }
    /// y = x·W: batch × in × units.
    public func multiplyAdds(batch: Int) -> Int { largestProduct(batch: batch) }

    /// A dense layer of `units` outputs. Throws when `units < 1`.
    public init(units: Int, activation: Activation = .linear) throws(ModelError) {
        guard units >= 1 else {
            throw .invalidOption(field: "dense units", expected: "an integer ≥ 1", got: "\(units)")
        }
        try ModelLimits.checkTensor("Dense →\(units)", [units])
        self.units = units
        self.activation = activation
        weight = Parameter(name: "w", value: Tensor(shape: [0, units]), isRegularized: true)
        bias = Parameter(name: "b", value: Tensor(shape: [units]), isRegularized: false)
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 1, inputShape[0] >= 1 else {
            throw .shapeMismatch(layer: label, expected: "(None, features): flatten first",
                                 got: Tensor.describeBatched(inputShape))
        }
        try ModelLimits.checkTensor("Dense \(inputShape[0])→\(units)", [inputShape[0], units])
        inputSize = inputShape[0]
        let fanIn = Float(inputSize), fanOut = Float(units)
        let limit = [.relu, .leakyrelu, .gelu].contains(activation)
            ? (6 / fanIn).squareRoot() : (6 / (fanIn + fanOut)).squareRoot()
        var w = Tensor(shape: [inputSize, units])
        for i in 0..<w.count { w.scalars[i] = rng.uniform(-limit, limit) }
        weight.value = w
        weight.gradient = Tensor(shape: w.shape)
        bias.value = Tensor(shape: [units])
        bias.gradient = Tensor(shape: [units])
        return [units]
    }

    private var effectiveActivation: Activation { appliesActivation ? activation : .linear }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        try! matmul(x, weight.value, into: &y)
        let f = effectiveActivation
        let n = units
        // Bias and activation in one pass over y (z is kept first when f′ needs it).
        y.scalars.withUnsafeMutableBufferPointer { yp in
            bias.value.scalars.withUnsafeBufferPointer { b in
                (f.needsInput ? Activation.linear : f).apply(yp, addingRow: b, columns: n)
            }
        }
        if f.needsInput {
            preactivation.assign(y)
            y.scalars.withUnsafeMutableBufferPointer { f.apply($0, columns: n) }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        let f = effectiveActivation
        let gradientOfZ: Tensor
        if f == .linear {
            gradientOfZ = dy
        } else {
            dz.resize(to: dy.shape)
            let z = f.needsInput ? preactivation : y
            f.gradient(z: z, y: y, dy: dy, into: &dz, columns: units)
            gradientOfZ = dz
        }
        try! matmul(x, gradientOfZ, transposeA: true, into: &weight.gradient)
        gradientOfZ.sumRows(into: &bias.gradient)
        if needsInputGradient {
            try! matmul(gradientOfZ, weight.value, transposeB: true, into: &dx)
        }
    }
}
