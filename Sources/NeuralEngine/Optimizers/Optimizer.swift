import TensorCore

/// An update rule. It sees only parameter/gradient pairs, always in the same order, and the
/// learning rate of this update: the trainer owns η (the run's rate, scaled by its schedule)
/// and hands it to every update, so no copy of it lives here to go stale.
///
/// The other hyper-parameters (μ, β …) are plain stored properties: `set momentum` changes
/// them between two updates, and the next `update` uses the new values.
public protocol Optimizer: AnyObject {
    /// The command-language name: `sgd`, `momentum`, `adam` …
    var name: String { get }
    /// The update rule in one line, as its doc comment writes it (shown by `step`).
    static var updateRule: String { get }
    /// The momentum-like coefficient the learner can `set momentum`: μ for momentum and
    /// Nesterov, ρ for RMSprop, β₁ for Adam and AdamW; nil where there is none.
    var momentum: Float? { get set }
    /// Updates performed so far (t; Adam's bias correction uses it).
    var updates: Int { get }
    /// One update of every parameter from its gradient, at learning rate η.
    func update(_ parameters: [Parameter], learningRate η: Float)
    /// The same update, also returning Σ g² over every gradient (the trainer's gradient norm).
    /// The default sums in a pass of its own first; Adam sums in its update's pass.
    func updateMeasuringGradient(_ parameters: [Parameter], learningRate η: Float) -> Double
    /// The terms of the last update of one scalar, named as the doc comment writes them
    /// (velocity, moments, bias-corrected moments, the step taken …), for `step` explanations:
    /// `gradient`, `before` and `learningRate` are its g, w and η in that update. Empty for
    /// plain gradient descent, whose update is η·g alone.
    func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float,
               learningRate η: Float) -> [(name: String, value: Float)]
    /// Forgets velocities and moments (after a divergence restored older weights).
    func resetState()
    /// Its update count and slots, for a saved model.
    var state: OptimizerState { get }
    /// Puts a saved state back. Checks it against `parameters` first (slot counts, shapes,
    /// finite values) and changes nothing when it does not fit.
    func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError)
}

extension Optimizer {
    public func updateMeasuringGradient(_ parameters: [Parameter], learningRate η: Float) -> Double {
        var squares = 0.0
        for p in parameters { squares += p.gradientSumOfSquares }
        update(parameters, learningRate: η)
        return squares
    }
}
