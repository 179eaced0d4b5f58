import TensorCore
import NeuralEngine

/// ‖Δw‖/‖w‖ of each parameter in one update (about 1e-3 is healthy): the weights are copied
/// before the update it measures, then compared after. One update is measured after each
/// snapshot (`arm`), so the copy costs nothing on the other updates.
struct UpdateRatios {
    private(set) var ratios: [Float] = []
    private var before: [Tensor] = []
    private var armed = true

    /// The next update is measured.
    mutating func arm() { armed = true }

    /// Whether the coming update is measured; if so, keeps the weights before it.
    mutating func keepBefore(_ parameters: [Parameter]) -> Bool {
        guard armed else { return false }
        if before.count != parameters.count { before = parameters.map(\.value) }
        for (i, p) in parameters.enumerated() { before[i].assign(p.value) }
        return true
    }

    /// Measures the update just made against the weights kept before it.
    mutating func measure(_ parameters: [Parameter]) {
        armed = false
        if ratios.count != parameters.count { ratios = [Float](repeating: .nan, count: parameters.count) }
        for (i, p) in parameters.enumerated() {
            var change = 0.0, size = 0.0
            p.value.scalars.withUnsafeBufferPointer { w in
                before[i].scalars.withUnsafeBufferPointer { b in
                    for k in w.indices {
                        let d = Double(w[k] - b[k])
                        change += d * d
                        size += Double(b[k]) * Double(b[k])
                    }
                }
            }
            ratios[i] = size > 0 ? Float((change / size).squareRoot()) : .nan
        }
    }
}
