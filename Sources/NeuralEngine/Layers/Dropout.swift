import TensorCore

/// Inverted dropout: during training each element is kept with probability 1 − p and scaled.
///
///     training   m_i ~ Bernoulli(1 − p),  y = x ⊙ m / (1 − p),  dx = dy ⊙ m / (1 − p)
///     evaluation y = x,                   dx = dy
///
/// The mask comes from the layer's own generator, split from the model's seed at build time,
/// so a seeded run drops the same units every time.
public final class Dropout: Layer {
    public let rate: Float
    /// Where the masks come from (a saved model keeps its state).
    var rng = SeededGenerator(seed: 0)
    private var mask = Tensor(shape: [0])
    private var lastForwardWasTraining = false

    public var typeName: String { "Dropout" }
    public var label: String { "Dropout \(rate)" }
    public var parameters: [Parameter] { [] }
    public var config: LayerConfig { .dropout(rate: rate) }

    /// Throws unless 0 ≤ rate < 1.
    public init(rate: Float) throws(ModelError) {
        guard rate >= 0, rate < 1 else {
            throw .invalidOption(field: "dropout rate", expected: "a number in [0, 1)", got: "\(rate)")
        }
        self.rate = rate
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        self.rng = rng.split()
        return inputShape
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        y.assign(x)
        lastForwardWasTraining = training && rate > 0
        guard lastForwardWasTraining else { return }
        mask.resize(to: x.shape)
        let keep = 1 - rate, scale = 1 / keep
        mask.scalars.withUnsafeMutableBufferPointer { m in
            y.scalars.withUnsafeMutableBufferPointer { yp in
                for i in m.indices {
                    m[i] = rng.uniform() < keep ? scale : 0
                    yp[i] *= m[i]
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        dx.assign(dy)
        if lastForwardWasTraining { dx.multiply(by: mask) }
    }
}
