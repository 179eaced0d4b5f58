import TensorCore

/// Backpropagation checked against central finite differences, the same way for a learner's
/// own model (`gradcheck`) and for every layer, loss and regularizer in the tests:
///
///     numeric  n = (L(θ + ε) − L(θ − ε)) / 2ε            ε = 1e-2
///     error    |a − n| / max(|a| + |n|, 10⁻³)            passes below 2·10⁻²
///
/// Float32 central differences with ε = 1e-2 carry O(ε²) truncation and about 10⁻⁵/ε rounding
/// error, well inside the bound; a wrong or stale gradient is off by far more. The floor of 10⁻³
/// keeps gradients that are both nearly zero from failing on rounding alone.
public enum GradientCheck {
    public static let epsilon: Float = 1e-2
    public static let bound: Float = 2e-2

    public static func relativeError(_ analytic: Float, _ numeric: Float) -> Float {
        abs(analytic - numeric) / max(abs(analytic) + abs(numeric), 1e-3)
    }

    /// n for one scalar: `set` writes it (θ ± ε, then `value` back exactly), `loss` evaluates L.
    public static func numeric(at value: Float, set: (Float) -> Void, loss: () -> Double) -> Float {
        set(value + epsilon)
        let up = loss()
        set(value - epsilon)
        let down = loss()
        set(value)
        return Float((up - down) / (2 * Double(epsilon)))
    }

    /// One checked scalar.
    public struct Entry: Equatable, Sendable {
        /// Its flat index in the parameter.
        public var element: Int
        public var analytic: Float
        public var numeric: Float
        public var relativeError: Float { GradientCheck.relativeError(analytic, numeric) }
        public var passes: Bool { relativeError < GradientCheck.bound }
    }
}

extension Trainer {
    /// The gradient of the training objective (loss plus penalty) on the last training batch,
    /// by backpropagation and by central differences, for `elements` of parameter `index` of
    /// `model.parameters`. Evaluation mode (no dropout), so both see the same function. Every
    /// weight is written back exactly; the parameters' gradients and the model's activations are
    /// overwritten, as the next update overwrites them anyway. Throws before any update was made
    /// (there is no batch yet).
    public func gradientCheck(parameter index: Int, elements: [Int]) throws(ModelError) -> [GradientCheck.Entry] {
        guard batchX.rows > 0 else {
            throw .invalidOption(field: "gradcheck", expected: "a batch: make an update first (`step`)", got: "none yet")
        }
        let parameters = model.parameters
        guard index < parameters.count else {
            throw .invalidOption(field: "gradcheck parameter", expected: "0..<\(parameters.count)", got: "\(index)")
        }
        let p = parameters[index]
        // Analytic: one backward pass at the current weights.
        _ = try computeGradients(on: batchX, batchY)
        let analytic = p.gradient
        func objective() -> Double {
            guard let output = try? model.forward(batchX, training: false) else { return .nan }
            return Double(loss.loss(output, batchY)) + Double(regularizer?.penalty(parameters) ?? 0)
        }
        return elements.filter { $0 >= 0 && $0 < p.value.count }.map { e in
            let numeric = GradientCheck.numeric(at: p.value.scalars[e], set: { p.value.scalars[e] = $0 }, loss: objective)
            return GradientCheck.Entry(element: e, analytic: analytic.scalars[e], numeric: numeric)
        }
    }
}
