import Foundation
import TensorCore

/// RMSprop: a running mean of squared gradients scales each step.
///
///     s ← ρ s + (1 − ρ) g²
///     w ← w − η g / (√s + ε)          defaults ρ = 0.9, ε = 1e-7 (Keras)
public final class RMSprop: Optimizer {
    public var rho: Float
    public var epsilon: Float
    public var momentum: Float? { get { rho } set { if let r = newValue { rho = r } } }
    public private(set) var updates = 0
    var meanSquare = Slot("s")
    public var name: String { "rmsprop" }
    public static let updateRule = "s ← ρs + (1−ρ)g², w ← w − ηg/(√s + ε)"

    public init(rho: Float = 0.9, epsilon: Float = 1e-7) {
        self.rho = rho
        self.epsilon = epsilon
    }

    public func update(_ parameters: [Parameter], learningRate η: Float) {
        updates += 1
        let rho = rho, eps = epsilon
        meanSquare.apply(to: parameters) { w, g, s in
            s = rho * s + (1 - rho) * g * g
            w -= η * g / (s.squareRoot() + eps)
        }
    }

    /// The running mean square s and the step η g / (√s + ε).
    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float,
                      learningRate η: Float) -> [(name: String, value: Float)] {
        let s = meanSquare.value(index, element)
        return [("s", s), ("ηg/(√s + ε)", η * g / (s.squareRoot() + epsilon))]
    }

    public func resetState() { meanSquare.reset() }
    public var state: OptimizerState { OptimizerState(updates: updates, slots: meanSquare.saved) }
    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        try meanSquare.restore(from: state, for: parameters, optimizer: name)
        updates = state.updates
    }
}

/// Adagrad: the sum of all squared gradients so far scales each step.
///
///     s ← s + g²
///     w ← w − η g / (√s + ε)          defaults s₀ = 0, ε = 1e-7
public final class Adagrad: Optimizer {
    public var epsilon: Float
    public var momentum: Float? { get { nil } set {} }
    public private(set) var updates = 0
    var sumSquare = Slot("s")
    public var name: String { "adagrad" }
    public static let updateRule = "s ← s + g², w ← w − ηg/(√s + ε)"

    public init(epsilon: Float = 1e-7) { self.epsilon = epsilon }

    public func update(_ parameters: [Parameter], learningRate η: Float) {
        updates += 1
        let eps = epsilon
        sumSquare.apply(to: parameters) { w, g, s in
            s += g * g
            w -= η * g / (s.squareRoot() + eps)
        }
    }

    /// The sum of squares s and the step η g / (√s + ε).
    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float,
                      learningRate η: Float) -> [(name: String, value: Float)] {
        let s = sumSquare.value(index, element)
        return [("s", s), ("ηg/(√s + ε)", η * g / (s.squareRoot() + epsilon))]
    }

    public func resetState() { sumSquare.reset() }
    public var state: OptimizerState { OptimizerState(updates: updates, slots: sumSquare.saved) }
    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        try sumSquare.restore(from: state, for: parameters, optimizer: name)
        updates = state.updates
    }
}
