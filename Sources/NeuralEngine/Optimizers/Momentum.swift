import TensorCore

/// Gradient descent with momentum (PyTorch's form, so a new η applies at once):
///
///     v ← μ v + g
///     w ← w − η v
public class Momentum: Optimizer {
    public var mu: Float
    public var momentum: Float? { get { mu } set { if let m = newValue { mu = m } } }
    public private(set) var updates = 0
    var velocity = Slot("v")
    public var name: String { "momentum" }
    public class var updateRule: String { "v ← μv + g, w ← w − ηv" }
    /// Nesterov's look-ahead: step along g + μv instead of v.
    var looksAhead: Bool { false }

    public init(momentum: Float = 0.9) { self.mu = momentum }

    public func update(_ parameters: [Parameter], learningRate η: Float) {
        updates += 1
        let mu = mu, nesterov = looksAhead
        velocity.apply(to: parameters) { w, g, v in
            v = mu * v + g
            w -= η * (nesterov ? g + mu * v : v)
        }
    }

    /// The velocity v and the step: η v, or η (g + μ v) looking ahead (Nesterov).
    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float,
                      learningRate η: Float) -> [(name: String, value: Float)] {
        let v = velocity.value(index, element)
        return looksAhead ? [("v", v), ("η(g + μv)", η * (g + mu * v))] : [("v", v), ("ηv", η * v)]
    }

    public func resetState() { velocity.reset() }
    public var state: OptimizerState { OptimizerState(updates: updates, slots: velocity.saved) }
    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        try velocity.restore(from: state, for: parameters, optimizer: name)
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
