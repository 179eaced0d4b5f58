import Foundation
import Testing
import TensorCore
@testable import NeuralEngine

/// Patching, the logit lens, the probe's per-position loss and `ablate` in the cached decoder,
/// each against a computation of its own.
@Suite struct CircuitToolTests {
    static func data(rows: Int = 12, T: Int = 6, vocabulary: Int = 5, seed: UInt64 = 9) -> (Tensor, Tensor) {
        var rng = SeededGenerator(seed: seed)
        var x = Tensor(shape: [rows, T]), y = Tensor(shape: [rows, T])
        for i in 0..<(rows * T) {
            x.scalars[i] = Float(rng.int(below: vocabulary))
            y.scalars[i] = i % T < 2 ? -1 : Float(rng.int(below: vocabulary))
        }
        return (x, y)
    }

    /// a + sign · b, element by element.
    static func combine(_ a: Tensor, _ b: Tensor, _ sign: Float) -> Tensor {
        var out = a
        for i in out.scalars.indices { out.scalars[i] += sign * b.scalars[i] }
        return out
    }

    /// Softmax of the final norm and head applied to `residual`, by the layers themselves.
    static func readOut(_ model: Sequential, _ residual: Tensor) -> Tensor {
        let h = model.layers.firstIndex { $0 is TokenHead }!
        var normed = Tensor(shape: [0]), logits = Tensor(shape: [0])
        model.layers[h - 1].forward(residual, into: &normed, training: false)
        model.layers[h].forward(normed, into: &logits, training: false)
        let V = (model.layers[h] as! TokenHead).vocabulary
        var p = logits
        for r in 0..<(p.count / V) {
            let row = (0..<V).map { logits.scalars[r * V + $0] }, top = row.max()!
            let sum = row.reduce(0) { $0 + exp($1 - top) }
            for v in 0..<V { p.scalars[r * V + v] = exp(row[v] - top) / sum }
        }
        return p
    }

    /// With one block of one head, patching the head is the block's whole contribution taken
    /// from the corrupted input: p = readOut(embed(clean) + Δblock(corrupted)).
    @Test func patchingOneHeadIsTheBlockFromTheCorruptedInput() throws {
        let model = try CachedDecoderTests.model(vocabulary: 5, block: 6, layers: 1, heads: 1, width: 8, seed: 5, attentionOnly: true)
        let (x, y) = Self.data()
        let corrupted = Patching.corrupt(x, vocabulary: 5, seed: 11)
        let keptHalf = (0..<12).allSatisfy { (r: Int) -> Bool in
            (3..<6).allSatisfy { (t: Int) -> Bool in corrupted.scalars[r * 6 + t] == x.scalars[r * 6 + t] }
        }
        #expect(corrupted != x && keptHalf, "the first half drawn again, the second kept")
        _ = try model.predict(corrupted)
        let delta = Self.combine(model.lastOutput(ofLayer: 1), model.lastOutput(ofLayer: 0), -1)
        _ = try model.predict(x)
        let p = Self.readOut(model, Self.combine(model.lastOutput(ofLayer: 0), delta, 1))
        var expectedLoss = [Double](repeating: 0, count: 6)
        for r in 0..<12 {
            for t in 2..<6 { expectedLoss[t] -= log(Double(p.scalars[(r * 6 + t) * 5 + Int(y.scalars[r * 6 + t])])) / 12 }
        }
        let before = try model.predict(x)
        let effects = try #require(Patching.measure(model, x: x, y: y, layer: 0, head: 0, seed: 11))
        #expect(effects.map(\.position) == [2, 3, 4, 5])
        for e in effects { #expect(abs(e.changedLoss - expectedLoss[e.position]) < 1e-4, "position \(e.position)") }
        #expect(try model.predict(x) == before, "the model is as it was")
        #expect(Patching.measure(model, x: x, y: y, layer: 0, head: 1) == nil)
    }

    /// Replacing a head's output with its own output on the same input changes nothing.
    @Test func patchingFromTheCleanInputIsIntact() throws {
        let model = try CachedDecoderTests.model(vocabulary: 5, block: 6, layers: 2, heads: 2, width: 8, seed: 4, attentionOnly: true)
        let (x, _) = Self.data()
        let intact = try model.predict(x)
        let attention = model.blockAttentions[1]
        attention.intervention = .replace(head: 1, with: attention.headOutput(1))
        #expect(try model.predict(x) == intact)
        attention.intervention = .zero(head: 1)
        #expect(try model.predict(x) != intact)
        attention.intervention = nil
    }

    /// The lens's last stage is the model's own prediction; its first reads the embeddings.
    @Test func theLensEndsAtTheModelsAnswerAndStartsAtTheEmbeddings() throws {
        let model = try CachedDecoderTests.model(vocabulary: 5, block: 6, layers: 2, heads: 2, width: 8, seed: 4, attentionOnly: true)
        let (x, y) = Self.data()
        let stages = try #require(LogitLens.read(model, x: x, y: y, sample: 3))
        #expect(stages.map(\.after) == [0, 1, 2])
        let own = try #require(PositionScore.measure(model, x: x, y: y))
        let samples = Double(own.reduce(0) { $0 + $1.samples })
        let loss = own.reduce(0) { $0 + $1.loss * Double($1.samples) } / samples
        let accuracy = own.reduce(0) { $0 + $1.accuracy * Double($1.samples) } / samples
        #expect(abs(stages[2].loss - loss) < 1e-4 && abs(stages[2].accuracy - accuracy) < 1e-9)
        let p = try model.predict(x)
        #expect(stages[2].predicted == (0..<6).map { t in (0..<5).max { p.scalars[(18 + t) * 5 + $0] < p.scalars[(18 + t) * 5 + $1] }! })
        _ = try model.predict(x)
        let first = Self.readOut(model, model.lastOutput(ofLayer: 0))
        #expect(stages[0].predicted == (0..<6).map { t in (0..<5).max { first.scalars[(18 + t) * 5 + $0] < first.scalars[(18 + t) * 5 + $1] }! })
        #expect(LogitLens.read(try Sequential([.dense(units: 2, activation: .linear)]), x: x, y: y) == nil)
    }

    /// A model with every weight zero predicts uniformly: ln V at every position of the probe.
    @Test func aBlankModelsProbeLossIsAUniformGuess() throws {
        let model = try HeadScoreTests.blank(vocabulary: 6, block: 8, width: 8)
        model.foldHead(.softmax)
        let reading = try #require(HeadScores.read(model))
        #expect(reading.half == 4 && reading.positionLoss.count == 7)
        #expect(reading.positionLoss.allSatisfy { abs($0 - log(6)) < 1e-5 })
        #expect(abs(reading.inContext) < 1e-6)
    }

    /// `ablate` silences the head in the cached decoder too, so `generate` writes without it.
    @Test func aSilencedHeadIsSilentInTheCache() throws {
        let model = try CachedDecoderTests.model(vocabulary: 7, block: 9, layers: 2, heads: 2, width: 16, seed: 3, attentionOnly: true)
        #expect(model.silence(layer: 1, head: 0) && model.silencedHead! == (1, 0))
        let decoder = try #require(CachedDecoder(model))
        let sequence = [3, 1, 4, 1, 5, 6, 2, 6, 5]
        let x = try Tensor(shape: [1, 9], scalars: sequence.map(Float.init))
        let full = try model.predict(x)
        decoder.reset(rows: 1)
        for t in 0..<9 {
            let p = decoder.step(ids: [sequence[t]])
            for i in 0..<7 { #expect(abs(p[i] - full.scalars[t * 7 + i]) < 1e-5) }
        }
        #expect(model.liftInterventions() && model.silencedHead == nil && !model.liftInterventions())
        #expect(try model.predict(x) != full)
        #expect(!model.silence(layer: 2, head: 0))
    }
}
