import Foundation
import Testing
import TensorCore
@testable import NeuralEngine

/// The head scores against heads whose weights are set by hand to do one thing.
@Suite struct HeadScoreTests {
    /// A one-block, one-head attention-only GPT with every weight 0, to set by hand.
    static func blank(vocabulary: Int, block: Int, width: Int) throws -> Sequential {
        let model = try Sequential(try Presets.gpt(vocabulary: vocabulary, block: block, layers: 1, heads: 1, width: width,
                                                   attentionOnly: true))
        var rng = SeededGenerator(seed: 1)
        try model.build(inputShape: [block], rng: &rng)
        for parameter in model.layers.flatMap(\.parameters) where parameter.name.hasSuffix("w") || parameter.name.hasSuffix("p") {
            parameter.value.fill(0)
        }
        return model
    }

    /// Position t's query matches position t−1's key: all attention goes to the symbol before.
    @Test func aPreviousTokenHead() throws {
        let T = 6, d = 8
        let model = try Self.blank(vocabulary: 4, block: T, width: d)
        let embedding = try #require(model.layers[0] as? TokenEmbedding)
        let block = try #require(model.layers[1] as? TransformerBlock)
        for t in 0..<T { embedding.positions.value.scalars[t * d + t] = 1 }   // position t: one-hot at t
        let qkv = block.attention.inputProjection.weight   // (d, 3d): Q, then K, then V
        for t in 1..<T { qkv.value.scalars[t * 3 * d + (t - 1)] = 3 }   // Q moves t's one-hot to t − 1
        for j in 0..<d { qkv.value.scalars[j * 3 * d + d + j] = 3 }      // K keeps it
        let scores = try #require(HeadScores.of(model))
        #expect(scores.count == 1)
        #expect(scores[0].previousToken > 0.95 && scores[0].induction < 0.05, "\(scores[0])")
    }

    /// An OV circuit that maps each symbol onto itself copies every symbol; its negative, none.
    @Test func aCopyingHeadAndItsOpposite() throws {
        let V = 5, d = 5
        let model = try Self.blank(vocabulary: V, block: 4, width: d)
        let embedding = try #require(model.layers[0] as? TokenEmbedding)
        let block = try #require(model.layers[1] as? TransformerBlock)
        let head = try #require(model.layers.compactMap { $0 as? TokenHead }.first)
        for i in 0..<V {
            embedding.tokens.value.scalars[i * d + i] = 1
            block.attention.inputProjection.weight.value.scalars[i * 3 * d + 2 * d + i] = 1
            block.attention.outputProjection.weight.value.scalars[i * d + i] = 1
            head.linear.weight.value.scalars[i * V + i] = 1
        }
        #expect(HeadScores.of(model)?.first?.copying == 1)
        for i in 0..<V { block.attention.outputProjection.weight.value.scalars[i * d + i] = -1 }
        #expect(HeadScores.of(model)?.first?.copying == 0)
    }

    @Test func onlyAGPTIsScored() throws {
        #expect(HeadScores.of(try Sequential([.dense(units: 2, activation: .linear)])) == nil)
    }
}
