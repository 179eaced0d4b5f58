import Foundation
import TensorCore

/// How each layer of a model is doing, at a glance: its weights' and gradients' spread, how
/// much the last update moved its weights, and how many of its units are saturated.
///
///     update ratio   ‖Δw‖ / ‖w‖ over the layer's weight tensor in one update; around 10⁻³ is
///                    healthy (Karpathy's rule of thumb), far below: the layer barely learns,
///                    far above: it is being thrown around (a learning rate too large)
///     saturated      tanh: |y| > 0.97;  sigmoid: y < 0.03 or y > 0.97 (the gradient there is
///                    under 6 % of its peak);  ReLU family: units at zero for the whole batch
///                    (dead for it: no gradient flows through them)
///
/// Saturation is read from the model's last forward pass (the last batch it saw).
public struct LayerHealth: Equatable, Sendable, Codable {
    /// Counts of values in equal bins from `low` to `high`.
    public struct Histogram: Equatable, Sendable, Codable {
        public var low: Float
        public var high: Float
        public var counts: [Int]

        /// `bins` bins over ±max|v| (symmetric, so 0 is in the middle).
        public init(_ values: [Float], bins: Int = 16) {
            let extent = max(values.lazy.filter(\.isFinite).map(abs).max() ?? 0, 1e-12)
            low = -extent
            high = extent
            counts = [Int](repeating: 0, count: bins)
            for v in values where v.isFinite {
                let i = Int((v - low) / (high - low) * Float(bins))
                counts[min(bins - 1, max(0, i))] += 1
            }
        }
    }

    public enum SaturationKind: String, Equatable, Sendable, Codable {
        case tanh, sigmoid
        /// ReLU and leaky ReLU: the share of units at (or below) zero for the whole batch.
        case relu
    }

    /// The layer's name (`dense1`) and its family's activation, if it has one that saturates.
    public var layer: String
    /// The layer's weight tensor (its first parameter) and that tensor's gradient.
    public var weights: Histogram?
    public var gradients: Histogram?
    /// ‖Δw‖ / ‖w‖ in the last measured update.
    public var updateRatio: Float?
    public var saturationKind: SaturationKind?
    /// The saturated share of its outputs (units, for the ReLU family), 0…1.
    public var saturated: Float?

    /// Every layer of `model`: histograms of its first parameter and gradient, `updateRatios`
    /// (per parameter of `model.parameters`, NaN when not measured) and saturation from the
    /// last forward pass.
    public static func measure(_ model: Sequential, updateRatios: [Float]) -> [LayerHealth] {
        var parameterIndex = 0
        return zip(model.names, model.layers).enumerated().map { i, pair in
            let (name, layer) = pair
            var health = LayerHealth(layer: name)
            if let w = layer.parameters.first {
                health.weights = Histogram(w.value.scalars)
                health.gradients = Histogram(w.gradient.scalars)
                if parameterIndex < updateRatios.count, updateRatios[parameterIndex].isFinite {
                    health.updateRatio = updateRatios[parameterIndex]
                }
            }
            parameterIndex += layer.parameters.count
            if let activation = Activation.output(of: layer), let (kind, share) = saturation(of: model.lastOutput(ofLayer: i), activation) {
                health.saturationKind = kind
                health.saturated = share
            }
            return health
        }
    }

    init(layer: String) { self.layer = layer }

    /// The saturated share of `y`, the output of `activation`; nil for activations that do not
    /// saturate (linear, softmax, GELU) or an empty output.
    static func saturation(of y: Tensor, _ activation: Activation) -> (SaturationKind, Float)? {
        guard y.count > 0 else { return nil }
        switch activation {
        case .tanh:
            return (.tanh, Float(y.scalars.lazy.filter { abs($0) > 0.97 }.count) / Float(y.count))
        case .sigmoid:
            return (.sigmoid, Float(y.scalars.lazy.filter { $0 < 0.03 || $0 > 0.97 }.count) / Float(y.count))
        case .relu, .leakyrelu:
            // Units: the last dimension; a unit is dead for the batch when no sample lights it.
            let units = y.shape.last ?? 1
            guard units > 0 else { return nil }
            var alive = [Bool](repeating: false, count: units)
            for (i, v) in y.scalars.enumerated() where v > 0 { alive[i % units] = true }
            return (.relu, Float(alive.filter { !$0 }.count) / Float(units))
        case .linear, .softmax, .gelu:
            return nil
        }
    }
}
