import Foundation
import Testing
import TensorCore
@testable import NeuralEngine

/// A model as a value: its architecture round-trips through JSON and rebuilds the same model,
/// its parameters have names, and an inference copy predicts exactly as the model does.
@Suite struct ModelArchitectureTests {
    /// Every preset, and every layer family in some model, with the per-sample input shape.
    static let models: [(name: String, input: [Int], layers: [LayerConfig])] = [
        ("cnn", [8, 8, 1], try! Presets.cnn(inputShape: [8, 8, 1], classes: 10)),
        ("textcls", [12], try! Presets.textClassifier(vocabulary: 50)),
        ("rnn", [20, 1], try! Presets.rnn(features: 1)),
        ("mlp", [2], [.dense(units: 8, activation: .tanh), .dropout(rate: 0.2), .dense(units: 1, activation: .sigmoid)]),
        ("activations", [3], [.dense(units: 4, activation: .linear)] + Activation.allCases.map { .activation($0) }),
        ("conv", [9, 7, 2], [.conv2d(filters: 3, kernel: [3, 2], stride: [2, 1], padding: .same, activation: .gelu),
                             .maxPool2d(pool: [2, 2], stride: [1, 2]), .flatten, .dense(units: 2, activation: .softmax)]),
        ("sequences", [6, 3], [.simpleRNN(units: 5, returnSequences: true), .simpleRNN(units: 4, returnSequences: false),
                               .dense(units: 1, activation: .linear)]),
        ("pooling", [10], [.embedding(vocabulary: 30, dimension: 4, masksPadding: false),
                           .globalAveragePooling1d(masked: false), .dense(units: 3, activation: .leakyrelu)]),
    ]

    func built(_ layers: [LayerConfig], input: [Int], seed: UInt64 = 1) throws -> Sequential {
        var rng = SeededGenerator(seed: seed)
        return try Sequential(ModelArchitecture(inputShape: input, layers: layers), rng: &rng)
    }

    @Test(arguments: models.map(\.name))
    func architectureRoundTripsThroughJSON(_ name: String) throws {
        let m = try #require(Self.models.first { $0.name == name })
        let model = try built(m.layers, input: m.input)
        let architecture = try #require(model.architecture)
        #expect(architecture == ModelArchitecture(inputShape: m.input, layers: m.layers), "the model reports what it was built from")
        let decoded = try JSONDecoder().decode(ModelArchitecture.self, from: JSONEncoder().encode(architecture))
        #expect(decoded == architecture)
        let rebuilt = try built(decoded.layers, input: decoded.inputShape)
        #expect(rebuilt.layers.map(\.label) == model.layers.map(\.label))
        #expect(rebuilt.outputShapes == model.outputShapes && rebuilt.parameterCount == model.parameterCount)
        // The same seed draws the same initial weights: the architecture is all a model is made of.
        #expect(rebuilt.parameterValues == model.parameterValues)
    }

    @Test func parametersAreNamedAsWatchNamesThem() throws {
        let model = try built(Self.models[0].layers, input: [8, 8, 1])
        #expect(model.namedParameters.map(\.name) == ["conv2d1.w", "conv2d1.b", "dense1.w", "dense1.b"])
        let rnn = try built(Self.models[2].layers, input: [20, 1])
        #expect(rnn.namedParameters.map(\.name) == ["simplernn1.w", "simplernn1.r", "simplernn1.b", "dense1.w", "dense1.b"])
        #expect(rnn.namedParameters.map { $0.parameter.value.shape } == [[1, 32], [32, 32], [32], [32, 1], [1]])
    }

    @Test func parameterValuesAreWrittenOnlyWhenAllFit() throws {
        let model = try built(Self.models[3].layers, input: [2])
        let other = try built(Self.models[3].layers, input: [2], seed: 9)
        let before = model.parameterValues
        var values = other.parameterValues
        values["dense1.w"] = Tensor(shape: [3, 8])
        #expect(throws: ModelError.self) { try model.setParameterValues(values) }
        values = other.parameterValues
        values["dense2.b"] = Tensor(shape: [1], repeating: .nan)
        #expect(throws: ModelError.self) { try model.setParameterValues(values) }
        values = other.parameterValues
        values["dense3.w"] = Tensor(shape: [1])
        #expect(throws: ModelError.self) { try model.setParameterValues(values) }
        values = other.parameterValues
        values["dense1.b"] = nil
        #expect(throws: ModelError.self) { try model.setParameterValues(values) }
        #expect(model.parameterValues == before, "a refused write changes nothing")
        try model.setParameterValues(other.parameterValues)
        #expect(model.parameterValues == other.parameterValues)
    }

    /// The copy predicts exactly what the model predicts, from any thread, and keeps the weights
    /// it was taken with while the model trains on.
    @Test func anInferenceCopyPredictsBitForBitFromAnotherThread() async throws {
        var rng = SeededGenerator(seed: 5)
        var x = Tensor(shape: [64, 2]), y = Tensor(shape: [64, 1])
        for i in 0..<x.count { x.scalars[i] = rng.uniform(-2, 2) }
        for i in 0..<64 { y.scalars[i] = x.scalars[2 * i] * x.scalars[2 * i + 1] > 0 ? 1 : 0 }
        let model = try built(Self.models[3].layers, input: [2])
        let trainer = try Trainer(model: model, loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.05,
                                  x: x, y: y, classes: 2, batchSize: 16, rng: rng)
        for _ in 0..<20 { _ = trainer.trainStep() }
        let expected = try model.predict(x)
        let copy = try InferenceModel(model)
        #expect(copy.foldedHead == .sigmoid && copy.parameterCount == model.parameterCount)
        let x0 = x
        let results = await withTaskGroup(of: [UInt32].self) { group in
            for _ in 0..<4 { group.addTask { ((try? copy.predict(x0))?.scalars ?? []).map(\.bitPattern) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == expected.scalars.map(\.bitPattern) })
        for _ in 0..<20 { _ = trainer.trainStep() }
        #expect(try copy.predict(x).scalars.map(\.bitPattern) == expected.scalars.map(\.bitPattern), "a snapshot")
        #expect(try model.predict(x).scalars != expected.scalars, "the model itself moved on")
    }
}

@Suite struct MultiplyAddTests {
    /// Dense 2→8→1 at batch 32: 32·(2·8 + 8·1) forward, ×3 with backward.
    @Test func denseLayersCountTheirProducts() throws {
        let model = try Sequential([.dense(units: 8, activation: .tanh), .dense(units: 1, activation: .sigmoid)])
        var rng = SeededGenerator(seed: 1)
        _ = try model.build(inputShape: [2], rng: &rng)
        #expect(model.multiplyAddsPerUpdate(batch: 32) == 3 * 32 * (16 + 8))
    }

    /// A convolution: every output position of every filter takes one patch.
    @Test func convolutionsCountEveryPatch() throws {
        let conv = try Conv2D(filters: 4, kernel: (3, 3))
        var rng = SeededGenerator(seed: 1)
        _ = try conv.build(inputShape: [8, 8, 2], rng: &rng)
        #expect(conv.multiplyAdds(batch: 5) == 5 * (6 * 6) * (3 * 3 * 2) * 4)
    }

    /// A simple RNN: x·W and h·R at every step.
    @Test func recurrentLayersCountEveryStep() throws {
        let rnn = try SimpleRNN(units: 16)
        var rng = SeededGenerator(seed: 1)
        _ = try rnn.build(inputShape: [20, 3], rng: &rng)
        #expect(rnn.multiplyAdds(batch: 2) == 2 * 20 * (3 * 16 + 16 * 16))
    }
}
