import Foundation
import TensorCore

/// Adam (Kingma & Ba, 2015) with bias-corrected moment estimates; AdamW adds decoupled decay.
///
///     m ← β₁ m + (1 − β₁) g              v ← β₂ v + (1 − β₂) g²
///     m̂ = m / (1 − β₁ᵗ)                  v̂ = v / (1 − β₂ᵗ)
///     w ← w − η m̂ / (√v̂ + ε)             defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-7 (Keras)
///
/// Moments that fall below the smallest normal float are stored as 0 (as XLA's flush-to-zero
/// does); the loop runs eight lanes at a time (`Kernels.adam`). Every element is updated every
/// step, also an embedding's rows that got no gradient (their moments decay), as in Keras.
///
/// AdamW (Loshchilov & Hutter, 2019): w ← w − η (m̂ / (√v̂ + ε) + λ w) for regularized
/// parameters (weights, not biases); default λ = 0.004 (Keras' AdamW).
public class Adam: Optimizer {
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    /// λ, decoupled weight decay; 0 for plain Adam.
    public var weightDecay: Float
    public var momentum: Float? { get { beta1 } set { if let b = newValue { beta1 = b } } }
    public private(set) var updates = 0
    var firstMoment = Slot("m")
    var secondMoment = Slot("v")
    /// Which parameters decay (weights, not biases), noted once per model for `terms`.
    private var decays: [Bool] = []
    /// β₁ᵗ and β₂ᵗ accumulated as products, so changing β mid-run stays well defined.
    private var beta1Power: Float = 1
    private var beta2Power: Float = 1
    public var name: String { "adam" }
    public class var updateRule: String { "m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η m̂/(√v̂ + ε)" }

    public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7, weightDecay: Float = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    public func update(_ parameters: [Parameter], learningRate η: Float) {
        _ = updateMeasuringGradient(parameters, learningRate: η)
    }

    public func updateMeasuringGradient(_ parameters: [Parameter], learningRate η: Float) -> Double {
        firstMoment.prepare(like: parameters)
        secondMoment.prepare(like: parameters)
        if decays.count != parameters.count { decays = parameters.map(\.isRegularized) }
        updates += 1
        beta1Power *= beta1
        beta2Power *= beta2
        let c1 = 1 / (1 - beta1Power), c2 = 1 / (1 - beta2Power)
        var squares = 0.0
        for (k, p) in parameters.enumerated() {
            let step = Kernels.AdamStep(learningRate: η, beta1: beta1, beta2: beta2,
                                        epsilon: epsilon, correction1: c1, correction2: c2,
                                        decay: p.isRegularized ? weightDecay : 0)
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    firstMoment.withTensor(k) { m in
                        secondMoment.withTensor(k) { v in
                            squares += Kernels.adam(weights: w, gradient: g, firstMoment: m, secondMoment: v, step)
                        }
                    }
                }
            }
        }
        return squares
    }

    /// The moments m and v, their bias-corrected m̂ and v̂, the adaptive step η m̂ / (√v̂ + ε),
    /// and, with decoupled decay (AdamW), the decay η λ w.
    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float,
                      learningRate η: Float) -> [(name: String, value: Float)] {
        let m = firstMoment.value(index, element), v = secondMoment.value(index, element)
        let mHat = m / (1 - beta1Power), vHat = v / (1 - beta2Power)
        var terms = [("m", m), ("v", v), ("m̂", mHat), ("v̂", vHat), ("ηm̂/(√v̂ + ε)", η * mHat / (vHat.squareRoot() + epsilon))]
        if weightDecay > 0, index < decays.count, decays[index] { terms.append(("ηλw", η * weightDecay * w)) }
        return terms
    }

    public func resetState() {
        firstMoment.reset()
        secondMoment.reset()
        beta1Power = 1
        beta2Power = 1
    }

    public var state: OptimizerState {
        OptimizerState(updates: updates, slots: firstMoment.saved.merging(secondMoment.saved) { a, _ in a },
                       products: ["beta1^t": beta1Power, "beta2^t": beta2Power])
    }

    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        var m = firstMoment, v = secondMoment
        try m.restore(from: state, for: parameters, optimizer: name)
        try v.restore(from: state, for: parameters, optimizer: name)
        let p1 = try state.product("beta1^t", optimizer: name), p2 = try state.product("beta2^t", optimizer: name)
        firstMoment = m
        secondMoment = v
        beta1Power = p1
        beta2Power = p2
        updates = state.updates
    }
}

/// Adam with decoupled weight decay; see `Adam` for the formula.
public final class AdamW: Adam {
    public override var name: String { "adamw" }
    public override class var updateRule: String { "m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η(m̂/(√v̂ + ε) + λw)" }

    public override init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7, weightDecay: Float = 0.004) {
        super.init(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay)
    }
}
