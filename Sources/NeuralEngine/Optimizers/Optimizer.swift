import TensorCore

/// An update rule. It sees only parameter/gradient pairs, always in the same order.
///
/// Hyper-parameters are plain stored properties: the trainer may change them between any two
/// updates (`set lr 0.01` mid-run), and the next `update` uses the new values.
public protocol Optimizer: AnyObject {
    /// The command-language name: `sgd`, `momentum`, `adam` …
    var name: String { get }
    /// The update rule in one line, as its doc comment writes it (shown by `step`).
    static var updateRule: String { get }
    /// η, the learning rate used by the next update.
    var learningRate: Float { get set }
    /// The momentum-like coefficient the learner can `set momentum`: μ for momentum and
    /// Nesterov, ρ for RMSprop, β₁ for Adam and AdamW; nil where there is none.
    var momentum: Float? { get set }
    /// Updates performed so far (t; Adam's bias correction uses it).
    var updates: Int { get }
    /// One update of every parameter from its gradient.
    func update(_ parameters: [Parameter])
    /// The same update, also returning Σ g² over every gradient (the trainer's gradient norm).
    /// The default sums in a pass of its own first; Adam sums in its update's pass.
    func updateMeasuringGradient(_ parameters: [Parameter]) -> Double
    /// The terms of the last update of one scalar, named as the doc comment writes them
    /// (velocity, moments, bias-corrected moments, the step taken …), for `step` explanations:
    /// `gradient` and `before` are its g and w in that update. Empty for plain gradient descent,
    /// whose update is η·g alone.
    func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float) -> [(name: String, value: Float)]
    /// The hyper-parameters, named as in the doc comment, for display.
    var settings: [(name: String, value: Float)] { get }
    /// Forgets velocities and moments (after a divergence restored older weights).
    func resetState()
    /// Its update count and slots, for a saved model.
    var state: OptimizerState { get }
    /// Puts a saved state back. Checks it against `parameters` first (slot counts, shapes,
    /// finite values) and changes nothing when it does not fit.
    func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError)
}

extension Optimizer {
    public func updateMeasuringGradient(_ parameters: [Parameter]) -> Double {
        var squares = 0.0
        for p in parameters { squares += p.gradientSumOfSquares }
        update(parameters)
        return squares
    }
}

/// Zeroed state tensors shaped like `parameters`, created once per model (velocities, moments).
func zeroSlots(_ slots: inout [Tensor], like parameters: [Parameter], initial: Float = 0) {
    if slots.count != parameters.count {
        slots = parameters.map { Tensor(shape: $0.value.shape, repeating: initial) }
    }
}

/// One scalar of a slot, or nil when the slot has not been created yet.
func slotValue(_ slots: [Tensor], _ parameter: Int, _ element: Int) -> Float {
    guard parameter < slots.count, element < slots[parameter].count else { return 0 }
    return slots[parameter].scalars[element]
}
