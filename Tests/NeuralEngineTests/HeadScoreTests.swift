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

/// Ablation: per-position loss and accuracy, intact as the model's own predictions say, and
/// the model as it was afterwards.
@Suite struct AblationTests {
    @Test func perPositionFiguresAndTheModelLeftAsItWas() throws {
        let model = try CachedDecoderTests.model(vocabulary: 5, block: 6, layers: 2, heads: 2, width: 8, seed: 4, attentionOnly: true)
        var rng = SeededGenerator(seed: 9)
        var x = Tensor(shape: [10, 6]), y = Tensor(shape: [10, 6])
        for i in 0..<60 {
            x.scalars[i] = Float(rng.int(below: 5))
            y.scalars[i] = i % 6 < 3 ? -1 : Float(rng.int(below: 5))   // positions 3, 4, 5 scored
        }
        let before = try model.predict(x)
        let positions = try #require(Ablation.measure(model, x: x, y: y, layer: 1, head: 0))
        #expect(positions.map(\.position) == [3, 4, 5] && positions.allSatisfy { $0.samples == 10 })
        // Intact: the figures from the model's own probabilities, worked out here.
        for p in positions {
            var loss = 0.0, right = 0
            for r in 0..<10 {
                let target = Int(y.scalars[r * 6 + p.position]), base = (r * 6 + p.position) * 5
                let probabilities = Array(before.scalars[base..<(base + 5)])
                loss -= log(Double(probabilities[target]))
                right += probabilities.indices.max { probabilities[$0] < probabilities[$1] } == target ? 1 : 0
            }
            #expect(abs(p.loss - loss / 10) < 1e-9 && p.accuracy == Double(right) / 10)
        }
        #expect(positions.contains { $0.changedLoss != $0.loss }, "silencing a head changes what the model says")
        #expect(try model.predict(x) == before, "and it is back once measured")
        #expect(Ablation.measure(model, x: x, y: y, layer: 2, head: 0) == nil && Ablation.measure(model, x: x, y: y, layer: 0, head: 2) == nil)
    }
}
