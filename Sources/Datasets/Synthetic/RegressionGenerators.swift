import Foundation
import TensorCore

/// The regression generators; formulas are on the `SyntheticKind` cases and the true parameters
/// in `SyntheticTruth`. Rows come out in random order already, so they are not shuffled again.
enum RegressionGenerators {
    /// y = a·x + b + N(0, (2·noise)²), x ~ U(−1, 1).
    static func linear(count n: Int, noise: Float, rng: inout SeededGenerator,
                       into samples: inout SampleBuffer) {
        let a = SyntheticTruth.linearSlope, b = SyntheticTruth.linearIntercept
        let sigma = noise * abs(a)
        for _ in 0..<n {
            let x = rng.uniform(-1, 1)
            samples.append(x, target: a * x + b + rng.normal(deviation: sigma))
        }
    }

    /// y = w₁x₁ + w₂x₂ + b + N(0, (3·noise)²), xᵢ ~ U(−1, 1).
    static func plane(count n: Int, noise: Float, rng: inout SeededGenerator,
                      into samples: inout SampleBuffer) {
        let w = SyntheticTruth.planeWeights, b = SyntheticTruth.planeBias
        let sigma = noise * (abs(w[0]) + abs(w[1]))
        for _ in 0..<n {
            let x1 = rng.uniform(-1, 1), x2 = rng.uniform(-1, 1)
            samples.append(x1, x2, target: w[0] * x1 + w[1] * x2 + b + rng.normal(deviation: sigma))
        }
    }

    /// y = sin(x) + N(0, noise²), x ~ U(−π, π).
    static func sine(count n: Int, noise: Float, rng: inout SeededGenerator,
                     into samples: inout SampleBuffer) {
        for _ in 0..<n {
            let x = rng.uniform(-.pi, .pi)
            samples.append(x, target: sin(x) + rng.normal(deviation: noise))
        }
    }
}
