import TensorCore

/// What an optimizer has accumulated besides the weights, so a saved model trains on exactly as
/// it would have: t (the update count), its slot tensors (one per parameter, in `parameters`
/// order) and running products such as Adam's β₁ᵗ and β₂ᵗ.
public struct OptimizerState: Codable, Equatable, Sendable {
    public var updates: Int
    /// Slots by the name the optimizer's doc comment gives them: `v` (velocity), `s`, `m` …;
    /// empty before the first update.
    public var slots: [String: [Tensor]]
    public var products: [String: Float]

    public init(updates: Int, slots: [String: [Tensor]] = [:], products: [String: Float] = [:]) {
        self.updates = updates
        self.slots = slots
        self.products = products
    }

    /// The slot `name`, checked against `parameters` (count and shapes): empty when the state
    /// has none (no update yet), else one tensor per parameter.
    func slot(_ name: String, for parameters: [Parameter], optimizer: String) throws(ModelError) -> [Tensor] {
        guard let tensors = slots[name], !tensors.isEmpty else { return [] }
        guard tensors.count == parameters.count else {
            throw .invalidOption(field: "\(optimizer) state \(name)", expected: "\(parameters.count) tensors",
                                 got: "\(tensors.count)")
        }
        for (t, p) in zip(tensors, parameters) where t.shape != p.value.shape || !t.isFinite {
            throw .invalidOption(field: "\(optimizer) state \(name)",
                                 expected: "finite tensors shaped like the parameters (\(Tensor.describe(p.value.shape)))",
                                 got: Tensor.describe(t.shape))
        }
        return tensors
    }

    func product(_ name: String, optimizer: String) throws(ModelError) -> Float {
        guard let x = products[name], x.isFinite else {
            throw .invalidOption(field: "\(optimizer) state \(name)", expected: "a finite number", got: "none")
        }
        return x
    }
}
