import TensorCore

/// Gradient descent: w ← w − η g.
///
/// Whether this is full-batch gradient descent, mini-batch SGD or stochastic GD (batch 1) is
/// decided by the batch size the trainer feeds it, not by the optimizer.
public final class SGD: Optimizer {
    public var momentum: Float? { get { nil } set {} }
    public private(set) var updates = 0
    public var name: String { "sgd" }
    public static let updateRule = "w ← w − ηg"

    public init() {}

    public func update(_ parameters: [Parameter], learningRate η: Float) {
        updates += 1
        for p in parameters {
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    for i in w.indices { w[i] -= η * g[i] }
                }
            }
        }
    }

    public func terms(parameter index: Int, element: Int, gradient g: Float, before w: Float,
                      learningRate η: Float) -> [(name: String, value: Float)] { [] }

    public func resetState() {}

    public var state: OptimizerState { OptimizerState(updates: updates) }

    public func restore(_ state: OptimizerState, for parameters: [Parameter]) throws(ModelError) {
        updates = state.updates
    }
}
