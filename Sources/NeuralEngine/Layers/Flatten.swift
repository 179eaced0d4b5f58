import TensorCore

/// Flattens each sample to a vector, keeping the row-major order (Keras' `Flatten` on NHWC).
///
///     forward   y = reshape(x, (n, Π dims))     x: (n, d₁, …, d_k)  y: (n, d₁·…·d_k)
///     backward  dx = reshape(dy, shape of x)
public final class Flatten: Layer {
    public private(set) var size = 0
    public var typeName: String { "Flatten" }
    public var label: String { "Flatten" }
    public var parameters: [Parameter] { [] }
    public var config: LayerConfig { .flatten }

    public init() {}

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 >= 1 }) else {
            throw .shapeMismatch(layer: label, expected: "(None, d₁, …) with every dimension ≥ 1",
                                 got: Tensor.describeBatched(inputShape))
        }
        size = inputShape.reduce(1, *)
        return [size]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        y.resize(x.rows, size)
        y.assignElements(x)
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        dx.resize(to: x.shape)
        dx.assignElements(dy)
    }
}
