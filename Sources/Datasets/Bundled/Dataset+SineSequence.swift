import Foundation
import TensorCore

extension Dataset {
    /// Next-value prediction on noisy sine waves: a regression task for recurrent models.
    ///
    /// Sample i draws a frequency ω ~ U(0.15, 0.6) rad/step, a phase φ ~ U(0, 2π) and an amplitude
    /// a ~ U(0.5, 1.5), then s_t = a·sin(ω t + φ) + ε_t with ε_t ~ N(0, noise²) for t = 0 … length.
    /// Features `[count, length, 1]` are s_0 … s_{length−1}; the target is s_length. The naive
    /// forecast "the next value equals the last one" has MSE ≈ E[a² ω²]/2 + 2·noise²; a model
    /// that learns the wave's continuation approaches noise².
    public static func sineSequence(count: Int = 1_000, length: Int = 20, noise: Double = 0.05,
                                    rng: inout SeededGenerator) throws(DatasetError) -> Dataset {
        guard count >= 2, count <= 1_000_000 else {
            throw .invalidValue(field: "n", expected: "an integer from 2 to 1000000", got: "\(count)")
        }
        guard length >= 2, length <= 10_000 else {
            throw .invalidValue(field: "length", expected: "an integer from 2 to 10000", got: "\(length)")
        }
        guard noise.isFinite, noise >= 0 else {
            throw .invalidValue(field: "noise", expected: "a number ≥ 0", got: DatasetError.describe(noise))
        }
        var x = [Float](), y = [Float]()
        x.reserveCapacity(count * length)
        for _ in 0..<count {
            let omega = rng.uniform(0.15, 0.6), phi = rng.uniform(0, 2 * .pi), a = rng.uniform(0.5, 1.5)
            for t in 0...length {
                let s = a * sin(omega * Float(t) + phi) + rng.normal(deviation: Float(noise))
                if t < length { x.append(s) } else { y.append(s) }
            }
        }
        return try Dataset(name: "sequence", features: try! Tensor(shape: [count, length, 1], scalars: x),
                           targets: try! Tensor(shape: [count, 1], scalars: y), task: .regression,
                           featureNames: (0..<length).map { "s\($0)" }, kind: .sequence(length: length, features: 1))
    }

    /// The mean squared error of predicting each sequence's next value as its last value: the
    /// baseline a sequence model must beat. Nil unless the data are sequences.
    public var lastValueBaselineMSE: Double? {
        guard case let .sequence(steps, width) = kind, self.count > 0 else { return nil }
        var sum = 0.0
        for i in 0..<self.count {
            let last = self.features.scalars[(i * steps + steps - 1) * width]
            let e = Double(targets.scalars[i] - last)
            sum += e * e
        }
        return sum / Double(self.count)
    }
}
