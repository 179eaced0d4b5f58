import TensorCore
import NeuralEngine
import Datasets

// The workloads of issue 6's table. Shapes, batch sizes and losses must match the Python peers
// in Benchmarks/peers.py and the C reference in Benchmarks/reference/w1.c.

extension Workload {
    /// W1: MLP 784-256-128-10, ReLU, softmax cross-entropy, batch 128, 60,000 samples.
    /// Matrix work per sample: forward 2·Σ in·out, weight gradients the same, input gradients
    /// of layers 2 and 3 (the input layer's is not needed): 1,007,104 FLOP.
    static let w1 = Workload(
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
    static let w3 = Workload(
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

    /// W2: Conv2D(32, 3x3, relu) → MaxPool 2x2 → Flatten → Dense(10), softmax CE, 28x28x1,
    /// batch 32, 6,400 samples. Matrix work per sample: the convolution's forward and weight
    /// gradient 2 · 2·(26·26·32·9) (no input gradient for the first layer), the dense layer's
    /// forward, weight and input gradients 3 · 2·(5408·10): 1,103,232 FLOP.
    static let w2 = Workload(
        name: "W2", title: "Conv2D(32, 3x3, relu) → MaxPool 2x2 → Flatten → Dense(10), 28x28x1, batch 32",
        unit: .samples, batchSize: 32, samples: 6_400, epochsPerRepetition: 1,
        flopsPerSample: Double(2 * 2 * (26 * 26 * 32 * 9) + 3 * 2 * (13 * 13 * 32 * 10)),
        makeTrainer: {
            var rng = SeededGenerator(seed: 62)
            let (x, y) = uniformData(n: 6_400, shape: [28, 28, 1], classes: 10, rng: &rng)
            return trainer([try! Conv2D(filters: 32, kernel: (3, 3), activation: .relu),
                            try! MaxPool2D(pool: (2, 2)), Flatten(),
                            try! Dense(units: 10, activation: .softmax)],
                           loss: SoftmaxCrossEntropy(), x: x, y: y, classes: 10, batch: 32, rng: rng)
        })

    /// W4: Embedding(10000, 16) over 100 token ids → GlobalAveragePooling1D → Dense(16, relu) →
    /// Dense(1, sigmoid), binary cross-entropy, batch 32, 12,800 samples.
    static let w4 = Workload(
        name: "W4", title: "Embedding(10000, 16), length 100 → GAP1D → Dense(16, relu) → Dense(1, sigmoid), batch 32",
        unit: .samples, batchSize: 32, samples: 12_800, epochsPerRepetition: 1, flopsPerSample: nil,
        makeTrainer: {
            var rng = SeededGenerator(seed: 64)
            var x = Tensor(shape: [12_800, 100])
            for i in 0..<x.count { x.scalars[i] = Float(rng.int(below: 10_000)) }
            var y = Tensor(shape: [12_800, 1])
            for i in 0..<y.count { y.scalars[i] = Float(rng.int(below: 2)) }
            return trainer([try! Embedding(vocabulary: 10_000, dimension: 16), GlobalAveragePooling1D(),
                            try! Dense(units: 16, activation: .relu),
                            try! Dense(units: 1, activation: .sigmoid)],
                           loss: BinaryCrossEntropy(), x: x, y: y, classes: 2, batch: 32, rng: rng)
        })

    /// W5: SimpleRNN(32, tanh) over 50 steps of 8 features → Dense(1), MSE, batch 32,
    /// 6,400 samples of Gaussian noise with Gaussian targets.
    static let w5 = Workload(
        name: "W5", title: "SimpleRNN(32, tanh) over length 50 × 8 features → Dense(1), MSE, batch 32",
        unit: .samples, batchSize: 32, samples: 6_400, epochsPerRepetition: 1, flopsPerSample: nil,
        makeTrainer: {
            var rng = SeededGenerator(seed: 65)
            var x = Tensor(shape: [6_400, 50, 8]), y = Tensor(shape: [6_400, 1])
            for i in 0..<x.count { x.scalars[i] = rng.normal() }
            for i in 0..<y.count { y.scalars[i] = rng.normal() }
            return trainer([try! SimpleRNN(units: 32), try! Dense(units: 1)],
                           loss: MeanSquaredError(), x: x, y: y, classes: nil, batch: 32, rng: rng)
        })

    /// W6: minGPT's gpt-nano (3 blocks, 3 heads, width 48; 85,728 parameters) on minGPT's sort
    /// task (6 digits of 0…2, then their sorted order; 11 positions, the answer's 6 scored),
    /// masked softmax cross-entropy, Adam lr 5e-4 (minGPT's demo), batch 64, 6,400 samples.
    static let w6 = Workload(
        name: "W6", title: "GPT 3 blocks × 3 heads, width 48, on sort (11 positions), Adam 5e-4, batch 64",
        unit: .samples, batchSize: 64, samples: 6_400, epochsPerRepetition: 1,
        flopsPerSample: nil,
        makeTrainer: {
            var rng = SeededGenerator(seed: 66)
            let data = try! Dataset.symbolTask(.sort, count: 6_400, rng: &rng)
            let model = try! Sequential(try! Presets.gpt(vocabulary: 3, block: 11))
            return try! Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 5e-4,
                                x: data.features, y: data.targets, classes: 3, batchSize: 64, rng: rng)
        })
}
