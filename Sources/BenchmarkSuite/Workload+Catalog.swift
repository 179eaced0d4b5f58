import TensorCore
import NeuralEngine
import Datasets

// The workloads of issue 6's table. Shapes, batch sizes and losses must match the Python peers
// in Benchmarks/peers.py and the C reference in Benchmarks/reference/w1.c.

extension Workload {
    /// W1: MLP 784-256-128-10, ReLU, softmax cross-entropy, batch 128, 60,000 samples.
    /// Matrix work per sample: forward 2·Σ in·out, weight gradients the same, input gradients
    /// of layers 2 and 3 (the input layer's is not needed): 1,008,128 FLOP.
    static let w1: Workload? = Workload(
        name: "W1", title: "MLP 784-256-128-10 ReLU, softmax CE, batch 128, 60,000 samples",
        unit: .samples, batchSize: 128, samples: 60_000, epochsPerRepetition: 1,
        flopsPerSample: Double(2 * 2 * (784 * 256 + 256 * 128 + 128 * 10) + 2 * (256 * 128 + 128 * 10)),
        makeTrainer: {
            var rng = SeededGenerator(seed: 61)
            let (x, y) = uniformData(n: 60_000, shape: [784], classes: 10, rng: &rng)
            return trainer([try! Dense(units: 256, activation: .relu),
                            try! Dense(units: 128, activation: .relu),
                            try! Dense(units: 10, activation: .softmax)],
                           loss: SoftmaxCrossEntropy(), x: x, y: y, classes: 10, batch: 128, rng: rng)
        })

    /// W3: the playground net 2-8-8-1, tanh, sigmoid output, binary cross-entropy, batch 10,
    /// on the 500-sample xor set. Counted in optimizer steps per second.
    static let w3: Workload? = Workload(
        name: "W3", title: "2-8-8-1 tanh, sigmoid out, BCE, batch 10, 500 samples",
        unit: .steps, batchSize: 10, samples: 500, epochsPerRepetition: 400,
        flopsPerSample: nil,
        makeTrainer: {
            var rng = SeededGenerator(seed: 63)
            let data = try! Dataset.synthetic(.xor, options: .init(n: 500), rng: &rng)
            return trainer([try! Dense(units: 8, activation: .tanh),
                            try! Dense(units: 8, activation: .tanh),
                            try! Dense(units: 1, activation: .sigmoid)],
                           loss: BinaryCrossEntropy(), x: data.features, y: data.targets,
                           classes: 2, batch: 10, rng: rng)
        })

    static let w2: Workload? = nil
    static let w4: Workload? = nil
    static let w5: Workload? = nil
}
