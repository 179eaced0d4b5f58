import Foundation
import TensorCore

/// The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks",
/// 2017; as fastai's `lr_find`): train with a rate that grows exponentially from `start` to
/// `end`, one update per rate,
///
///     η_i = start · (end / start)^(i / (n − 1))          i = 0 … n − 1
///
/// and watch the loss, smoothed as TensorBoard and fastai do (a debiased moving average,
/// s_i = β s_{i−1} + (1 − β) L_i reported as s_i / (1 − βⁱ), β = 0.98). The sweep stops when the
/// smoothed loss passes 4 times its minimum or stops being finite. The suggestion is a tenth of
/// the rate where the smoothed loss was lowest (after the first ten, which average too few batches) (Smith's and fastai's rule of thumb): the minimum
/// itself sits at the edge of divergence, one decade below is still on the steady descent.
/// (The steepest point of the curve, the other common rule, proved noisy on small data: its
/// slope is measured on a handful of batch losses.)
///
/// It trains the trainer it is given: pass a copy (`Session` builds one from the run's weights),
/// so the model a learner trains is never touched.
public enum LearningRateRangeTest {
    public struct Result: Equatable, Sendable, Codable {
        /// The rates tried, in order, and the smoothed loss after each.
        public var rates: [Float]
        public var losses: [Float]
        /// The suggested rate, and the one where the smoothed loss was lowest.
        public var suggestion: Float
        public var minimum: Float
        /// Why it stopped: the loss passed 4× its minimum (true), or the last rate was reached.
        public var diverged: Bool
    }

    public static func run(_ trainer: Trainer, from start: Float = 1e-6, to end: Float = 10, steps: Int = 200) -> Result? {
        let n = max(steps, 10)
        let beta = 0.98
        var average = 0.0
        var rates: [Float] = [], losses: [Float] = []
        var best = Float.infinity
        var diverged = false
        trainer.schedule = .constant
        for i in 0..<n {
            let rate = start * pow(end / start, Float(i) / Float(n - 1))
            trainer.learningRate = rate
            let loss = trainer.trainStep().loss
            guard loss.isFinite else { diverged = true; break }
            average = beta * average + (1 - beta) * Double(loss)
            let smoothed = Float(average / (1 - pow(beta, Double(i + 1))))
            rates.append(rate)
            losses.append(smoothed)
            best = min(best, smoothed)
            if i > 5, smoothed > 4 * best { diverged = true; break }
        }
        // The first few smoothed values average only a handful of batch losses: one lucky batch
        // would look like the lowest loss of all. The minimum is looked for after them, and
        // must be below where they ended.
        let warm = min(10, losses.count / 4)
        guard losses.count > warm + 1,
              let lowest = losses.indices.dropFirst(warm).min(by: { losses[$0] < losses[$1] }),
              losses[lowest] < losses[warm] else { return nil }
        return Result(rates: rates, losses: losses, suggestion: max(rates[lowest] / 10, start),
                      minimum: rates[lowest], diverged: diverged)
    }
}
