import Testing
import TensorCore
@testable import NeuralEngine

/// The presets' output shapes and parameter counts, as Keras' `model.summary()` prints them.
@Suite struct PresetShapeTests {
    func summary(_ layers: [LayerConfig], input: [Int]) throws -> ModelSummary {
        let model = try Sequential(layers)
        var rng = SeededGenerator(seed: 1)
        try model.build(inputShape: input, rng: &rng)
        return ModelSummary(model)
    }

    @Test func cnnOnMNISTSizedImagesMatchesKeras() throws {
        let s = try summary(try Presets.cnn(inputShape: [28, 28, 1], classes: 10), input: [28, 28, 1])
        #expect(s.rows.map(\.outputShape) == ["(None, 26, 26, 32)", "(None, 13, 13, 32)", "(None, 5408)", "(None, 10)"])
        #expect(s.rows.map(\.parameters) == [320, 0, 0, 54_090])
        #expect(s.totalParameters == 54_410)
        #expect(s.rows.map(\.name) == ["conv2d1", "maxpooling2d1", "flatten1", "dense1"])
        #expect(s.text.contains("Total params: 54410"))
    }

    /// A narrow REPL's summary keeps the layers and their parameter counts: the output shape
    /// goes first, then the norms; a wide one has every column.
    @Test func aNarrowSummaryKeepsTheParameterCounts() throws {
        let s = try summary(try Presets.cnn(inputShape: [28, 28, 1], classes: 10), input: [28, 28, 1])
        let wide = s.text(width: 200), narrow = s.text(width: 46)
        #expect(wide == s.text && wide.contains("Output Shape") && wide.contains("|W|"))
        #expect(!narrow.contains("Output Shape") && narrow.contains("Param #") && narrow.contains("54090"), "\(narrow)")
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 46 }, "\(narrow)")
        let middle = s.text(width: 60)
        #expect(!middle.contains("Output Shape") && middle.contains("|W|") && middle.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(middle)")
    }

    @Test func cnnAdaptsToEightByEightDigits() throws {
        let s = try summary(try Presets.cnn(inputShape: [8, 8, 1], classes: 10), input: [8, 8, 1])
        #expect(s.rows.map(\.outputShape) == ["(None, 6, 6, 32)", "(None, 3, 3, 32)", "(None, 288)", "(None, 10)"])
        #expect(s.rows.map(\.parameters) == [320, 0, 0, 2_890])
        #expect(throws: ModelError.self) { try Presets.cnn(inputShape: [64], classes: 10) }
        #expect(throws: ModelError.self) { try Presets.cnn(inputShape: [8, 8, 1], classes: 1) }
    }

    @Test(arguments: [2, 1000, 10_000])
    func textClassifierMatchesKeras(vocabulary: Int) throws {
        let s = try summary(try Presets.textClassifier(vocabulary: vocabulary), input: [100])
        #expect(s.rows.map(\.outputShape) == ["(None, 100, 16)", "(None, 16)", "(None, 16)", "(None, 1)"])
        #expect(s.rows.map(\.parameters) == [16 * vocabulary, 0, 272, 17])
    }

    @Test(arguments: [1, 3])
    func rnnMatchesKeras(features: Int) throws {
        let s = try summary(try Presets.rnn(features: features), input: [20, features])
        #expect(s.rows.map(\.outputShape) == ["(None, 32)", "(None, 1)"])
        #expect(s.rows.map(\.parameters) == [32 * (features + 32 + 1), 33])
    }

    @Test func rnnReturningSequencesShape() throws {
        let s = try summary([.simpleRNN(units: 8, returnSequences: true), .simpleRNN(units: 4, returnSequences: false)], input: [10, 2])
        #expect(s.rows.map(\.outputShape) == ["(None, 10, 8)", "(None, 4)"])
        #expect(s.rows.map(\.parameters) == [8 * (2 + 8 + 1), 4 * (8 + 4 + 1)])
    }
}

/// A layer too large to allocate is refused at build with its size, not a crash.
@Suite struct ModelLimitTests {
    @Test func anOversizedLayerIsRefusedBeforeAllocating() throws {
        let model = try Sequential([try Dense(units: 1_000_000, activation: .relu),
                                    try Dense(units: 1_000_000, activation: .relu), try Dense(units: 3)])
        var rng = SeededGenerator(seed: 1)
        do {
            try model.build(inputShape: [4], rng: &rng)
            Issue.record("built a 10¹² weight layer")
        } catch {
            #expect(error.description.contains("Dense 1000000→1000000 weights"), "\(error)")
            #expect(error.description.contains("1,000,000 × 1,000,000"), "\(error)")
        }
        #expect(throws: ModelError.self) { try Embedding(vocabulary: 10_000_000, dimension: 64) }
        let fits = try Sequential([try Dense(units: 256), try Dense(units: 10)])
        try fits.build(inputShape: [784], rng: &rng)
    }
}
