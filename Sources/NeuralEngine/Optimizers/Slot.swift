import TensorCore

/// One of an optimizer's per-parameter state tensors, under the name its formula gives it (`v`,
/// `s`, `m` …): made zero on the first update (shaped like the parameters), forgotten by
/// `reset`, saved and checked back in by name with the optimizer's state. What every stateful
/// optimizer shares, so each optimizer's file holds its formula and little else.
struct Slot {
    let name: String
    private(set) var tensors: [Tensor] = []

    init(_ name: String) { self.name = name }

    /// Zero tensors shaped like `parameters`, made once per model.
    mutating func prepare(like parameters: [Parameter]) {
        if tensors.count != parameters.count {
            tensors = parameters.map { Tensor(shape: $0.value.shape, repeating: 0) }
        }
    }

    /// One scalar of the slot (0 before the first update).
    func value(_ parameter: Int, _ element: Int) -> Float {
        guard parameter < tensors.count, element < tensors[parameter].count else { return 0 }
        return tensors[parameter].scalars[element]
    }

    mutating func reset() { tensors = [] }

    /// The slot as an optimizer state holds it.
    var saved: [String: [Tensor]] { [name: tensors] }

    /// The slot from a saved `state`, checked against `parameters` (count, shapes, finite
    /// values); unchanged when it does not fit.
    mutating func restore(from state: OptimizerState, for parameters: [Parameter], optimizer: String) throws(ModelError) {
        tensors = try state.slot(name, for: parameters, optimizer: optimizer)
    }

    /// The slot's tensor for parameter `k`, as memory to update in place (a kernel's loop).
    mutating func withTensor<R>(_ k: Int, _ body: (inout UnsafeMutableBufferPointer<Float>) -> R) -> R {
        tensors[k].scalars.withUnsafeMutableBufferPointer(body)
    }

    /// Applies `rule(w, g, s)` to every element of every parameter, with the slot's element:
    /// the loop each one-slot optimizer's formula runs in.
    @inline(__always)
    mutating func apply(to parameters: [Parameter], _ rule: (inout Float, Float, inout Float) -> Void) {
        prepare(like: parameters)
        for (k, p) in parameters.enumerated() {
            p.value.scalars.withUnsafeMutableBufferPointer { w in
                p.gradient.scalars.withUnsafeBufferPointer { g in
                    tensors[k].scalars.withUnsafeMutableBufferPointer { s in
                        for i in w.indices { rule(&w[i], g[i], &s[i]) }
                    }
                }
            }
        }
    }
}
