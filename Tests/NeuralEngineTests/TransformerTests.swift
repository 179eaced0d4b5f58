import Foundation
import Testing
import TensorCore
@testable import NeuralEngine

/// The GPT layers: finite-difference checks of every gradient, the attention's mask and rows,
/// and minGPT's parameter counts.
@Suite struct TransformerGradientTests {
    @Test func layerNorm() throws {
        try checkLayer(LayerNorm(), inputShape: [4, 5])
        try checkLayer(LayerNorm(), inputShape: [7])
    }

    /// An attention-only block (no MLP, no second norm): its gradients, and 4d² + 6d parameters.
    @Test func attentionOnlyBlock() throws {
        let block = try TransformerBlock(heads: 2, causal: true, mlp: false)
        try checkGradients(block, x: randomInput([2, 3, 4], seed: 8), inputShape: [3, 4], weightScale: 15)
        let count = block.parameters.map(\.value.count).reduce(0, +)
        #expect(count == 88)   // 4d² + 6d for d = 4
        #expect(block.config == .attentionBlock(heads: 2, causal: true) && block.label.hasSuffix("attention only"))
        let model = try Sequential(try Presets.gpt(vocabulary: 16, block: 15, layers: 2, heads: 2, width: 32, attentionOnly: true))
        var rng = SeededGenerator(seed: 1)
        try model.build(inputShape: [15], rng: &rng)
        let perBlock = 4 * 32 * 32 + 6 * 32   // 4,288
        #expect(model.parameterCount == 992 + 2 * perBlock + 64 + 512)
    }

    @Test func layerNormNormalisesEachRow() throws {
        let layer = LayerNorm()
        var rng = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [3, 8], rng: &rng)
        var y = Tensor(shape: [0])
        layer.forward(randomInput([2, 3, 8], seed: 4), into: &y, training: false)
        for row in 0..<6 {
            let values = (0..<8).map { Double(y.scalars[row * 8 + $0]) }
            let mean = values.reduce(0, +) / 8
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
            #expect(abs(mean) < 1e-6)
            #expect(abs(variance - 1) < 1e-3)   // 1 − ε/σ²: the ε keeps it just under 1
        }
    }

    @Test func tokenEmbeddingWithPositions() throws {
        let ids = try Tensor(shape: [3, 4], scalars: [0, 2, 1, 2, 1, 1, 0, 0, 2, 0, 1, 2])
        try checkGradients(TokenEmbedding(vocabulary: 3, block: 6, width: 5), x: ids, inputShape: [4],
                           checkInput: false, weightScale: 20)
    }

    @Test func tokenEmbeddingAddsTheTokenAndThePositionRows() throws {
        let layer = try TokenEmbedding(vocabulary: 3, block: 4, width: 2)
        var rng = SeededGenerator(seed: 1)
        #expect(try layer.build(inputShape: [4], rng: &rng) == [4, 2])
        var y = Tensor(shape: [0])
        layer.forward(try Tensor(shape: [1, 4], scalars: [2, 0, 0, 1]), into: &y, training: false)
        for (t, id) in [2, 0, 0, 1].enumerated() {
            for j in 0..<2 {
                #expect(y[0, t, j] == layer.tokens.value[id, j] + layer.positions.value[t, j])
            }
        }
        #expect(throws: ModelError.self) { try layer.build(inputShape: [5], rng: &rng) }   // longer than the block
    }

    @Test(arguments: [true, false])
    func attention(causal: Bool) throws {
        try checkGradients(MultiHeadSelfAttention(heads: 2, causal: causal), x: randomInput([2, 4, 6], seed: 5),
                           inputShape: [4, 6], weightScale: 12)
    }

    @Test func attentionWeightsAreCausalRowsOfProbabilities() throws {
        let layer = try MultiHeadSelfAttention(heads: 3, causal: true)
        var rng = SeededGenerator(seed: 2)
        _ = try layer.build(inputShape: [5, 6], rng: &rng)
        for p in layer.parameters { p.value.scale(by: 30) }
        var y = Tensor(shape: [0])
        layer.forward(randomInput([2, 5, 6], seed: 6), into: &y, training: false)
        #expect(layer.weights.shape == [2, 3, 5, 5])
        for i in 0..<2 {
            for h in 0..<3 {
                for t in 0..<5 {
                    let row = (0..<5).map { layer.weights[i, h, t, $0] }
                    #expect(abs(row.reduce(0, +) - 1) < 1e-5)
                    #expect(row[(t + 1)...].allSatisfy { $0 == 0 }, "query \(t) sees no later key")
                    #expect(row[...t].allSatisfy { $0 > 0 })
                }
            }
        }
        #expect(throws: ModelError.self) { try MultiHeadSelfAttention(heads: 4, causal: true).build(inputShape: [5, 6], rng: &rng) }
    }

    @Test func causalAttentionIgnoresLaterPositions() throws {
        // Changing the last token changes no earlier output: the mask at work end to end.
        let layer = try MultiHeadSelfAttention(heads: 2, causal: true)
        var rng = SeededGenerator(seed: 3)
        _ = try layer.build(inputShape: [4, 4], rng: &rng)
        var x = randomInput([1, 4, 4], seed: 7)
        var before = Tensor(shape: [0]), after = Tensor(shape: [0])
        layer.forward(x, into: &before, training: false)
        for j in 0..<4 { x.scalars[12 + j] += 1 }
        layer.forward(x, into: &after, training: false)
        #expect(Array(before.scalars[..<12]) == Array(after.scalars[..<12]))
        #expect(Array(before.scalars[12...]) != Array(after.scalars[12...]))
    }

    @Test func transformerBlock() throws {
        try checkGradients(TransformerBlock(heads: 2, causal: true), x: randomInput([2, 3, 4], seed: 8),
                           inputShape: [3, 4], weightScale: 15)
    }

    @Test func tokenHead() throws {
        try checkGradients(TokenHead(vocabulary: 3), x: randomInput([2, 4, 5], seed: 9), inputShape: [4, 5],
                           weightScale: 20)
    }

    @Test func maskedPerPositionCrossEntropy() throws {
        // Logits (2, 3, 4); position 0 of each sequence unscored. The loss equals the mean over
        // the four scored positions, and its gradient passes the finite-difference check.
        var z = randomInput([2, 3, 4], seed: 10)
        let t = try Tensor(shape: [2, 3], scalars: [-1, 2, 0, -1, 3, 1])
        let loss = SoftmaxCrossEntropy()
        try loss.validate(outputColumns: 12, targets: t)
        var g = Tensor(shape: [0])
        let value = loss.loss(z, t, gradient: &g)
        var expected: Double = 0
        for (k, target) in t.scalars.enumerated() where target >= 0 {
            let row = (0..<4).map { Double(z.scalars[k * 4 + $0]) }
            expected += log(row.map { exp($0) }.reduce(0, +)) - row[Int(target)]
        }
        #expect(abs(Double(value) - expected / 4) < 1e-5)
        #expect(g.scalars[0..<4].allSatisfy { $0 == 0 } && g.scalars[12..<16].allSatisfy { $0 == 0 })
        for i in 0..<z.count {
            let numeric = GradientCheck.numeric(at: z.scalars[i], set: { z.scalars[i] = $0 },
                                                loss: { Double(loss.loss(z, t)) })
            #expect(relativeError(g.scalars[i], numeric) < relativeBound, "dz[\(i)]")
        }
        #expect(throws: ModelError.self) { try loss.validate(outputColumns: 12, targets: Tensor(shape: [2, 5])) }
        #expect(throws: ModelError.self) {
            try loss.validate(outputColumns: 12, targets: try Tensor(shape: [2, 3], scalars: [0, 4, 0, 0, 0, 0]))
        }
        #expect(throws: ModelError.self) {   // −1 means "not scored" only for sequences
            try loss.validate(outputColumns: 3, targets: try Tensor(shape: [1, 1], scalars: [-1]))
        }
    }

    @Test func exactMatchCountsWholeSequences() {
        // Two sequences of 4 positions, the first 2 unscored: one right in full, one half right.
        let m = SequenceMetrics(predicted: [9, 9, 1, 2, 9, 9, 1, 0], targets: [-1, -1, 1, 2, -1, -1, 1, 2], positions: 4)
        #expect(m.exactMatch == 0.5)
        #expect(m.tokenAccuracy == 0.75)
        #expect(m.sequences == 2)
    }
}

@Suite struct GPTPresetTests {
    @Test func gptNanoOnTheSortTaskHasMinGPTsParameterCount() throws {
        // minGPT, demo.ipynb: GPT gpt-nano, vocab_size 3, block_size 11, "number of parameters:
        // 0.09M" (the transformer without lm_head: 85,584); lm_head adds 48 × 3.
        let model = try Sequential(try Presets.gpt(vocabulary: 3, block: 11))
        var rng = SeededGenerator(seed: 1)
        try model.build(inputShape: [11], rng: &rng)
        let s = ModelSummary(model)
        #expect(s.rows.map(\.name) == ["tokens1", "block1", "block2", "block3", "layernorm1", "head1", "softmax1"])
        #expect(s.rows.map(\.outputShape) == ["(None, 11, 48)", "(None, 11, 48)", "(None, 11, 48)", "(None, 11, 48)",
                                              "(None, 11, 48)", "(None, 11, 3)", "(None, 11, 3)"])
        #expect(s.rows.map(\.parameters) == [3 * 48 + 11 * 48, 28_272, 28_272, 28_272, 96, 144, 0])
        #expect(s.totalParameters - 144 == 85_584)
        #expect(s.totalParameters == 85_728)
        #expect(model.namedParameters.map(\.name).prefix(8) == [
            "tokens1.w", "tokens1.p", "block1.ln1.g", "block1.ln1.b", "block1.attn.qkv.w", "block1.attn.qkv.b",
            "block1.attn.proj.w", "block1.attn.proj.b"])
        #expect(model.parameter(layer: "block2", name: "mlp.fc.w")?.value.shape == [48, 192])
    }

    @Test func widthMustSplitIntoTheHeads() {
        #expect(throws: ModelError.self) { try Presets.gpt(vocabulary: 3, block: 11, heads: 5, width: 48) }
        #expect(throws: ModelError.self) { try Presets.gpt(vocabulary: 3, block: 11, layers: 0) }
    }

    @Test func architectureRoundTripsThroughJSON() throws {
        let architecture = ModelArchitecture(inputShape: [11], layers: try Presets.gpt(vocabulary: 3, block: 11, layers: 1))
        let data = try JSONEncoder().encode(architecture)
        #expect(try JSONDecoder().decode(ModelArchitecture.self, from: data) == architecture)
    }
}

@Suite struct AttentionMapTests {
    @Test func mapsHoldEveryBlocksWeightsForTheSample() throws {
        let model = try Sequential(try Presets.gpt(vocabulary: 3, block: 5, layers: 2, heads: 2, width: 8))
        var rng = SeededGenerator(seed: 1)
        try model.build(inputShape: [5], rng: &rng)
        let x = try Tensor(shape: [1, 5], scalars: [2, 0, 1, 1, 0])
        let maps = try #require(AttentionMaps.of(model, x: x, sample: 7))
        #expect(maps.ids == [2, 0, 1, 1, 0] && maps.sample == 7)
        #expect(maps.layers.map(\.name) == ["block1", "block2"])
        let block = try #require(model.layers[2] as? TransformerBlock)
        #expect(maps.layers[1].weights == block.attention.weights.scalars)
        #expect(maps.layers[1].weight(head: 1, query: 0, key: 0) == 1, "the first query sees only itself")
        #expect(AttentionMaps.of(try Sequential([.dense(units: 2, activation: .linear)]), x: x, sample: 0) == nil)
    }
}
