import Foundation
import TensorCore

/// A trainable tensor paired with its gradient.
///
/// Layers own their parameters; optimizers see only these pairs. `gradient` is overwritten by
/// each backward pass (never accumulated across steps).
public final class Parameter {
    /// The parameter's short name inside its layer: `w` (weights) or `b` (bias).
    public let name: String
    public var value: Tensor
    public var gradient: Tensor
    /// Whether L1/L2 regularization and decoupled weight decay apply (weights yes, biases no).
    public let isRegularized: Bool

    public init(name: String, value: Tensor, isRegularized: Bool) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
        self.isRegularized = isRegularized
    }

    /// Σ g² over the gradient, accumulated in Double.
    public var gradientSumOfSquares: Double {
        gradient.scalars.withUnsafeBufferPointer { Kernels.sumOfSquares($0) }
    }
}

/// The contract every layer keeps.
///
/// Shapes are per sample (no batch dimension) in `build`; tensors passed to `forward` and
/// `backward` carry the batch as their first dimension. The model keeps every layer's input and
/// output between forward and backward and hands them back, so most layers hold no copies.
public protocol Layer: AnyObject {
    /// The family, as Keras names it: `Dense`, `ReLU`, `Dropout` …
    var typeName: String { get }
    /// A short description for summaries, e.g. `Dense 2→8 tanh`.
    var label: String { get }
    /// Trainable parameters, each paired with its gradient. Empty for stateless layers.
    var parameters: [Parameter] { get }
    /// The value this layer was made from (`LayerConfig.makeLayer`), hyper-parameters and all.
    var config: LayerConfig { get }

    /// Fixes the input shape, initialises parameters from `rng` and returns the output shape.
    /// Throws `ModelError.shapeMismatch` naming the layer when it cannot take `inputShape`.
    func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int]

    /// Computes `y` from `x`. `y` is reused storage: the layer resizes it as needed.
    func forward(_ x: Tensor, into y: inout Tensor, training: Bool)

    /// Given x, y = forward(x) and dL/dy, writes every parameter's gradient and, when
    /// `needsInputGradient`, dL/dx into `dx`.
    func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor, needsInputGradient: Bool)

    /// m·n·k of the largest matrix product one training step of a batch of `batch` makes in this
    /// layer (0 for layers without one): what decides how many BLAS threads pay (`BLAS.threads(forProduct:)`).
    func largestProduct(batch: Int) -> Int

    /// Multiply-adds of one forward pass over a batch of `batch` in this layer's matrix
    /// products (0 for layers that only look up, reshape or apply a function elementwise).
    /// Backward makes two products of the same size (dW and dx), so an update costs about 3×.
    func multiplyAdds(batch: Int) -> Int
}

extension Layer {
    public func largestProduct(batch: Int) -> Int { 0 }
    public func multiplyAdds(batch: Int) -> Int { 0 }

    /// The number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}

/// Errors from building or running a model; each message names the layer and the shapes.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(layer: String, expected: String, got: String)
    case invalidOption(field: String, expected: String, got: String)
    case notBuilt
    case empty

    public var description: String {
        switch self {
        case let .shapeMismatch(layer, expected, got):
            return "\(layer): expected input of shape \(expected), got \(got)"
        case let .invalidOption(field, expected, got):
            return "\(field): expected \(expected), got \(got)"
        case .notBuilt:
            return "the model has not been built for an input shape yet"
        case .empty:
            return "the model has no layers"
        }
    }
}

/// Limits that keep a model inside memory: a layer too large to allocate is refused when it is
/// built, with its size, instead of the process dying when the allocation fails.
public enum ModelLimits {
    /// Values in one parameter tensor: 2²⁵ (128 MB of Float; 512 MB with its gradient and
    /// Adam's two moments). An MNIST MLP's largest is 784 × 256 = 200,704.
    public static let maxTensorValues = 1 << 25

    /// Values in one batch's activations, every layer's output together: 2²⁶ (256 MB of Float;
    /// the backward pass keeps about as much again). The MNIST MLP at batch 32 needs 33,000.
    public static let maxActivationValues = 1 << 26

    /// The number of values in `shape`, Int.max when the product overflows (negative
    /// dimensions count as 0).
    static func valueCount(_ shape: [Int]) -> Int {
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: Swift.max(d, 0))
            count = overflow ? Int.max : product
        }
        return count
    }

    /// Throws unless one sample of `shape` (an input or a layer's output) has at most
    /// `maxActivationValues` values, its dimensions multiplied with overflow checks: a shape
    /// read from a file can be anything, and the layer after it multiplies it out.
    static func checkSample(_ shape: [Int], at place: String) throws(ModelError) {
        guard valueCount(shape) <= maxActivationValues else {
            throw .invalidOption(field: "\(place) shape", expected: "at most \(maxActivationValues.formatted(.number.grouping(.automatic))) values per sample",
                                 got: shape.map(String.init).joined(separator: "×"))
        }
    }

    /// Throws unless `batch` samples' activations through `model` (built) fit, naming the figure.
    public static func checkActivations(_ model: Sequential, batch: Int) throws(ModelError) {
        var perSample = 0
        for shape in [model.inputShape ?? []] + model.outputShapes {
            let count = valueCount(shape)
            perSample = perSample.addingReportingOverflow(count).overflow ? Int.max : perSample + count
        }
        let (total, overflow) = perSample.multipliedReportingOverflow(by: batch)
        guard overflow || total > maxActivationValues else { return }
        let grouped: (Int) -> String = { $0.formatted(.number.grouping(.automatic)) }
        let fitting = max(1, maxActivationValues / max(perSample, 1))
        throw .invalidOption(field: "batch",
                             expected: "at most \(grouped(maxActivationValues)) activation values per batch (256 MB): "
                                 + "a batch of at most \(grouped(fitting)) for this model",
                             got: "\(grouped(batch)) samples × \(grouped(perSample)) values per sample")
    }

    /// Throws unless a tensor of shape `dims` fits; `layer` names it in the message.
    static func checkTensor(_ layer: String, _ dims: [Int]) throws(ModelError) {
        let count = valueCount(dims)
        guard count <= maxTensorValues else {
            let shape = dims.map { $0.formatted(.number.grouping(.automatic)) }.joined(separator: " × ")
            throw .invalidOption(field: "\(layer) weights",
                                 expected: "at most \(maxTensorValues.formatted(.number.grouping(.automatic))) values per layer (128 MB)",
                                 got: "\(shape)")
        }
    }
}
