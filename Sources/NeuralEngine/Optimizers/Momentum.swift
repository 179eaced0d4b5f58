import TensorCore

/// Gradient descent with momentum (PyTorch's form, so a new η applies at once):
///
///     v ← μ v + g
///     w ← w − η v
public class Momentum: Optimizer {
    public var learningRate: Float
    public var mu: Float
    public var momentum: Float? { get { mu } set { if let m = newValue { mu = m } } }
    public private(set) var updates = 0
    var velocity: [Tensor] = []
    public var name: String { "momentum" }
    public class var updateRule: String { "v ← μv + g, w ← w − ηv" }
    public var settings: [(name: String, value: Float)] { [("lr", learningRate), ("momentum", mu)] }
    /// Nesterov's look-ahead: step along g + μv instead of v.
    var looksAhead: Bool { false }

    public init(learningRate: Float = 0.01, momentum: Float = 0.9) {
        self.learningRate = learningRate
        self.mu = momentum
    }

    public func update(_ parameters: [Parameter]) {
        zeroSlots(&velocity, like: parameters)
        updates += 1
        let lr = learningRate, mu = mu, nesterov = looksAhead
        for (k, p) in parameters.enumerated() {
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    velocity[k].scalars.withUnsafeMutableBufferPointer { v in
                        for i in w.indices {
                            v[i] = mu * v[i] + g[i]
                            w[i] -= lr * (nesterov ? g[i] + mu * v[i] : v[i])
                        }
                    }
                }
            }
        }
    }

    /// The velocity v and the step: η v, or η (g + μ v) looking ahead (Nesterov).
    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float) -> [(name: String, value: Float)] {
        let v = slotValue(velocity, index, element)
        return looksAhead ? [("v", v), ("η(g + μv)", learningRate * (g + mu * v))] : [("v", v), ("ηv", learningRate * v)]
    }

    public func resetState() { velocity = [] }

    public var state: OptimizerState { OptimizerState(updates: updates, slots: ["v": velocity]) }

    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        velocity = try state.slot("v", for: parameters, optimizer: name)
        updates = state.updates
    }
}

/// Nesterov accelerated gradient (PyTorch's form): the step looks ahead along the velocity.
///
///     v ← μ v + g
///     w ← w − η (g + μ v)
public final class Nesterov: Momentum {
    public override var name: String { "nesterov" }
    public override class var updateRule: String { "v ← μv + g, w ← w − η(g + μv)" }
    override var looksAhead: Bool { true }
}
