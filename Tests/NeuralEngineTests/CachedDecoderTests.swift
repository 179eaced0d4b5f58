import Foundation
import Testing
import TensorCore
@testable import NeuralEngine

/// The KV cache: one position at a time gives the full causal pass's probabilities, and
/// writing with it gives the same symbols as writing without it, also past the block.
@Suite struct CachedDecoderTests {
    /// A GPT with weights far from their small starting values, so every part of the pass matters.
    static func model(vocabulary: Int = 7, block: Int = 9, layers: Int = 2, heads: Int = 2, width: Int = 16, seed: UInt64 = 3,
                      attentionOnly: Bool = false) throws -> Sequential {
        let model = try Sequential(try Presets.gpt(vocabulary: vocabulary, block: block, layers: layers, heads: heads, width: width,
                                                   attentionOnly: attentionOnly))
        var rng = SeededGenerator(seed: seed)
        try model.build(inputShape: [block], rng: &rng)
        for parameter in model.layers.flatMap(\.parameters) {
            for i in parameter.value.scalars.indices { parameter.value.scalars[i] = rng.normal() * 0.4 }
        }
        model.foldHead(.softmax)
        return model
    }

    @Test(arguments: [false, true]) func eachPositionMatchesTheFullPass(attentionOnly: Bool) throws {
        let model = try Self.model(attentionOnly: attentionOnly)
        let decoder = try #require(CachedDecoder(model))
        let sequences = [[3, 1, 4, 1, 5, 6, 2, 6, 5], [2, 0, 0, 6, 1, 1, 3, 4, 0]]
        var x = Tensor(shape: [2, 9])
        for (r, s) in sequences.enumerated() { for t in 0..<9 { x.scalars[r * 9 + t] = Float(s[t]) } }
        let full = try model.predict(x)
        decoder.reset(rows: 2)
        for t in 0..<9 {
            let p = decoder.step(ids: sequences.map { $0[t] })
            for r in 0..<2 {
                for i in 0..<7 {
                    let expected = full.scalars[(r * 9 + t) * 7 + i]
                    #expect(abs(p[r * 7 + i] - expected) < 1e-5, "row \(r), position \(t), symbol \(i): \(p[r * 7 + i]) vs \(expected)")
                }
            }
        }
        #expect(decoder.positions == [9, 9])
    }

    @Test func writingWithTheCacheWritesWhatTheFullPassWrites() throws {
        let model = try Self.model(vocabulary: 11, block: 12, layers: 3, heads: 4, width: 24, seed: 8)
        let prompts = [[1, 2, 3], [4, 4, 10], [0, 9, 8]]
        for temperature: Float in [0, 0.8] {
            var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
            // 20 symbols: the window fills at 12 and then slides (the cache gives way to the full pass).
            let cached = Sampling.write(after: prompts, count: 20, block: 12, temperature: temperature, topK: 5, rng: &a,
                                        decoder: CachedDecoder(model)) { try? model.predict($0) }
            let plain = Sampling.write(after: prompts, count: 20, block: 12, temperature: temperature, topK: 5, rng: &b) { try? model.predict($0) }
            #expect(cached.map(\.ids) == plain.map(\.ids), "temperature \(temperature)")
            for (c, p) in zip(cached, plain) {
                #expect(zip(c.probabilities, p.probabilities).allSatisfy { abs($0 - $1) < 1e-5 })
            }
        }
    }

    @Test func droppingRowsKeepsTheOthersCaches() throws {
        let model = try Self.model()
        let prompts = [[1, 2], [3, 4], [5, 6]]
        let writer = Sampling.Writer(prompts: prompts, block: 9, decoder: CachedDecoder(model)) { try? model.predict($0) }
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<3 { #expect(writer.next(temperature: 0, topK: nil, topP: nil, rng: &rng)) }
        writer.keep(rows: [2, 0])
        for _ in 0..<3 { #expect(writer.next(temperature: 0, topK: nil, topP: nil, rng: &rng)) }
        var again = SeededGenerator(seed: 1)
        let alone = Sampling.write(after: [prompts[2], prompts[0]], count: 6, block: 9, rng: &again) { try? model.predict($0) }
        #expect(writer.written.map(\.ids) == alone.map(\.ids))
    }

    @Test func onlyAGPTHasOne() throws {
        #expect(CachedDecoder(try Sequential([.dense(units: 2, activation: .linear)])) == nil)
        let unbuilt = try Sequential(try Presets.gpt(vocabulary: 3, block: 5))
        #expect(CachedDecoder(unbuilt) == nil)
    }
}
