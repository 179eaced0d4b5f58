import Foundation
import TensorCore

/// RMSprop: a running mean of squared gradients scales each step.
///
///     s ← ρ s + (1 − ρ) g²
///     w ← w − η g / (√s + ε)          defaults ρ = 0.9, ε = 1e-7 (Keras)
public final class RMSprop: Optimizer {
    public var learningRate: Float
    public var rho: Float
    public var epsilon: Float
    public var momentum: Float? { get { rho } set { if let r = newValue { rho = r } } }
    public private(set) var updates = 0
    var meanSquare: [Tensor] = []
    public var name: String { "rmsprop" }
    public static let updateRule = "s ← ρs + (1−ρ)g², w ← w − ηg/(√s + ε)"
    public var settings: [(name: String, value: Float)] { [("lr", learningRate), ("rho", rho), ("eps", epsilon)] }

    public init(learningRate: Float = 0.001, rho: Float = 0.9, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
    }

    public func update(_ parameters: [Parameter]) {
        zeroSlots(&meanSquare, like: parameters)
        updates += 1
        let lr = learningRate, rho = rho, eps = epsilon
        for (k, p) in parameters.enumerated() {
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    meanSquare[k].scalars.withUnsafeMutableBufferPointer { s in
                        for i in w.indices {
                            s[i] = rho * s[i] + (1 - rho) * g[i] * g[i]
                            w[i] -= lr * g[i] / (s[i].squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }

    /// The running mean square s and the step η g / (√s + ε).
    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float) -> [(name: String, value: Float)] {
        let s = slotValue(meanSquare, index, element)
        return [("s", s), ("ηg/(√s + ε)", learningRate * g / (s.squareRoot() + epsilon))]
    }

    public func resetState() { meanSquare = [] }

    public var state: OptimizerState { OptimizerState(updates: updates, slots: ["s": meanSquare]) }

    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        meanSquare = try state.slot("s", for: parameters, optimizer: name)
        updates = state.updates
    }
}

/// Adagrad: the sum of all squared gradients so far scales each step.
///
///     s ← s + g²
///     w ← w − η g / (√s + ε)          defaults s₀ = 0, ε = 1e-7
public final class Adagrad: Optimizer {
    public var learningRate: Float
    public var epsilon: Float
    public var momentum: Float? { get { nil } set {} }
    public private(set) var updates = 0
    var sumSquare: [Tensor] = []
    public var name: String { "adagrad" }
    public static let updateRule = "s ← s + g², w ← w − ηg/(√s + ε)"
    public var settings: [(name: String, value: Float)] { [("lr", learningRate), ("eps", epsilon)] }

    public init(learningRate: Float = 0.01, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.epsilon = epsilon
    }

    public func update(_ parameters: [Parameter]) {
        zeroSlots(&sumSquare, like: parameters)
        updates += 1
        let lr = learningRate, eps = epsilon
        for (k, p) in parameters.enumerated() {
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    sumSquare[k].scalars.withUnsafeMutableBufferPointer { s in
                        for i in w.indices {
                            s[i] += g[i] * g[i]
                            w[i] -= lr * g[i] / (s[i].squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }

    /// The sum of squares s and the step η g / (√s + ε).
    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float) -> [(name: String, value: Float)] {
        let s = slotValue(sumSquare, index, element)
        return [("s", s), ("ηg/(√s + ε)", learningRate * g / (s.squareRoot() + epsilon))]
    }

    public func resetState() { sumSquare = [] }

    public var state: OptimizerState { OptimizerState(updates: updates, slots: ["s": sumSquare]) }

    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        sumSquare = try state.slot("s", for: parameters, optimizer: name)
        updates = state.updates
    }
}
