import TensorCore
import NeuralEngine

/// One training workload of the performance table (README "Performance", issue 6): a model, its
/// synthetic data from a fixed seed, the batch, and how much matrix work one sample costs.
///
/// The Python peers in `Benchmarks/` build the same shapes (same parameter count, same batch,
/// float32, Adam with Keras' defaults) so the figures compare like with like.
struct Workload: Sendable {
    /// What the rate counts: samples per second, or optimizer steps per second (W3).
    enum Unit: String, Sendable { case samples, steps }

    /// `W1` … `W6`.
    let name: String
    /// One line for people, e.g. `MLP 784-256-128-10 ReLU, softmax CE`.
    let title: String
    let unit: Unit
    let batchSize: Int
    /// Samples per epoch (the synthetic set's size).
    let samples: Int
    /// Epochs per timed repetition: tiny workloads repeat their epoch so one timing lasts
    /// long enough (≥ 0.1 s) for the clock.
    let epochsPerRepetition: Int
    /// Floating-point operations per sample of one training step (forward and backward
    /// products only), for the achieved GFLOP/s; nil where it is not reported.
    let flopsPerSample: Double?
    /// Builds a fresh trainer (model, data, Adam) from a fixed seed.
    let makeTrainer: @Sendable () -> Trainer

    /// Updates one timed repetition performs.
    func updatesPerRepetition(_ trainer: Trainer) -> Int {
        trainer.updatesPerEpoch * epochsPerRepetition
    }
}

extension Workload {
    /// Every workload, in table order.
    static var all: [Workload] { [w1, w2, w3, w4, w5, w6] }

    static func named(_ name: String) -> Workload? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// A trainer with Adam (Keras defaults: lr 0.001, β 0.9/0.999, ε 1e-7).
    static func trainer(_ layers: [any Layer], loss: any Loss, x: Tensor, y: Tensor, classes: Int?,
                        batch: Int, rng: SeededGenerator) -> Trainer {
        let model = try! Sequential(layers)
        return try! Trainer(model: model, loss: loss, optimizer: Adam(), learningRate: 0.001,
                            x: x, y: y, classes: classes, batchSize: batch, rng: rng)
    }

    /// `n` rows of `shape` uniform in [0, 1), and integer labels in 0..<classes.
    static func uniformData(n: Int, shape: [Int], classes: Int,
                            rng: inout SeededGenerator) -> (Tensor, Tensor) {
        var x = Tensor(shape: [n] + shape)
        x.scalars.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = rng.uniform() }
        }
        var y = Tensor(shape: [n, 1])
        for i in 0..<n { y.scalars[i] = Float(rng.int(below: classes)) }
        return (x, y)
    }
}
