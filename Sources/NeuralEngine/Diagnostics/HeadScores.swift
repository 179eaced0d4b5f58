import Foundation
import TensorCore

/// What each attention head of a GPT does, as three scores in 0…1 (the measures of Olsson et
/// al., "In-context Learning and Induction Heads", 2022, and Elhage et al., "A Mathematical
/// Framework for Transformer Circuits", 2021), on a fixed probe: `probes` sequences of the
/// model's block length, each random symbols r of length h = ⌊block/2⌋ followed by r again
/// (s[t] = r[t mod h]), drawn from `seed`.
///
///     previous-token  mean over positions t ≥ 1 of A[t, t−1]: attending to the symbol before
///     induction       mean over positions t ≥ h of A[t, t−h+1]: attending to the symbol that
///                     followed the earlier occurrence of the current one (prefix matching)
///     copying         the share of symbols i (all, or 128 drawn for larger vocabularies) for which the head's OV circuit, read from the
///                     weights alone, raises the logit of i itself the most:
///                     argmax_j (E W_V,h W_O,h W_U)[i, j] = i   (E the token embedding,
///                     W_U the head's unembedding; the layer norms are left out)
///
/// A: each block's attention weights on the probe (`MultiHeadSelfAttention.weights`). An
/// induction head scores high on induction and copying; a previous-token head, the first half
/// of the circuit, high on previous-token.
public struct HeadScores: Equatable, Sendable, Codable {
    /// Block (from 0) and head (from 0).
    public var layer: Int
    public var head: Int
    public var previousToken: Double
    public var induction: Double
    public var copying: Double

    public init(layer: Int, head: Int, previousToken: Double, induction: Double, copying: Double) {
        (self.layer, self.head, self.previousToken, self.induction, self.copying) = (layer, head, previousToken, induction, copying)
    }

    /// The scores of every head of `model` (a built GPT), layer by layer; nil for another model.
    /// Runs the model forward (in evaluation mode) on the probe: call it where nothing else runs it.
    public static func of(_ model: Sequential, probes: Int = 32, seed: UInt64 = 7) -> [HeadScores]? {
        read(model, probes: probes, seed: seed)?.heads
    }

    /// The scores of every head and the loss at every position of the probe (`HeadReading`).
    public static func read(_ model: Sequential, probes: Int = 32, seed: UInt64 = 7) -> HeadReading? {
        guard let shape = probeShape(of: model) else { return nil }
        return read(model, probe: probe(count: probes, length: shape.length, vocabulary: shape.vocabulary, seed: seed))
    }

    /// The block length and vocabulary of a GPT whose heads can be read (block ≥ 3).
    public static func probeShape(of model: Sequential) -> (length: Int, vocabulary: Int)? {
        guard let embedding = model.layers.first as? TokenEmbedding, embedding.length >= 3,
              model.layers.contains(where: { $0 is TokenHead }), model.layers.contains(where: { $0 is TransformerBlock }) else { return nil }
        return (embedding.length, embedding.vocabulary)
    }

    /// The probe: `count` sequences of `length` symbols, each h = ⌊length/2⌋ random symbols
    /// from `seed` and then the same again (s[t] = r[t mod h]).
    public static func probe(count: Int, length T: Int, vocabulary V: Int, seed: UInt64 = 7) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        var x = Tensor(shape: [count, T])
        let h = T / 2
        for n in 0..<count {
            for t in 0..<h { x.scalars[n * T + t] = Float(rng.int(below: V)) }
            for t in h..<T { x.scalars[n * T + t] = x.scalars[n * T + t % h] }
        }
        return x
    }

    /// The reading on a probe made by `probe(count:length:vocabulary:seed:)` for this model
    /// (a run keeps one, so reading it again allocates less).
    public static func read(_ model: Sequential, probe x: Tensor) -> HeadReading? {
        guard let embedding = model.layers.first as? TokenEmbedding, embedding.length >= 3,
              let head = model.layers.compactMap({ $0 as? TokenHead }).first, x.rank == 2, x.shape[1] == embedding.length else { return nil }
        let blocks = model.layers.compactMap { $0 as? TransformerBlock }
        guard !blocks.isEmpty else { return nil }
        let probes = x.shape[0], T = embedding.length, h = T / 2, V = embedding.vocabulary, d = embedding.width
        var rng = SeededGenerator(seed: 8)   // the copying score's sample of symbols, for large vocabularies
        guard let p = try? model.predict(x), p.count == probes * T * V else { return nil }
        var positionLoss = [Double](repeating: 0, count: T - 1)
        for n in 0..<probes {
            for t in 0..<(T - 1) {
                let next = Int(x.scalars[n * T + t + 1])
                positionLoss[t] -= log(max(Double(p.scalars[(n * T + t) * V + next]), 1e-12)) / Double(probes)
            }
        }
        let symbols = copyingSymbols(vocabulary: V, rng: &rng)
        var scores: [HeadScores] = []
        for (l, block) in blocks.enumerated() {
            let A = block.attention.weights, H = block.heads, e = d / H
            for hd in 0..<H {
                var previous = 0.0, induction = 0.0
                for n in 0..<probes {
                    let base = ((n * H) + hd) * T * T
                    for t in 1..<T { previous += Double(A.scalars[base + t * T + t - 1]) }
                    for t in h..<T { induction += Double(A.scalars[base + t * T + t - h + 1]) }
                }
                scores.append(HeadScores(layer: l, head: hd, previousToken: previous / Double(probes * (T - 1)),
                                         induction: induction / Double(probes * (T - h)),
                                         copying: copying(block: block, head: hd, headWidth: e, embedding: embedding,
                                                          unembedding: head, symbols: symbols)))
            }
        }
        return HeadReading(heads: scores, positionLoss: positionLoss, half: h)
    }

    /// The symbols the copying score is taken over: all of them, or `copyingSample` drawn
    /// without repeats for larger vocabularies (the score is then an estimate, cheap enough to
    /// take while training).
    static func copyingSymbols(vocabulary V: Int, rng: inout SeededGenerator) -> [Int] {
        guard V > copyingSample else { return Array(0..<V) }
        var all = Array(0..<V)
        for i in 0..<copyingSample { all.swapAt(i, i + rng.int(below: V - i)) }
        return Array(all[0..<copyingSample]).sorted()
    }

    public static let copyingSample = 128

    /// The share of symbols the head's OV circuit maps onto themselves (see the type).
    static func copying(block: TransformerBlock, head hd: Int, headWidth e: Int, embedding: TokenEmbedding, unembedding: TokenHead,
                        symbols: [Int]) -> Double {
        let V = embedding.vocabulary, d = embedding.width
        let E = embedding.tokens.value.scalars                         // (V, d)
        let qkv = block.attention.inputProjection.weight.value.scalars   // (d, 3d): V columns from 2d
        let out = block.attention.outputProjection.weight.value.scalars  // (d, d): rows hd·e …
        let U = unembedding.linear.weight.value.scalars                  // (d, V)
        var copied = 0
        var value = [Float](repeating: 0, count: e), written = [Float](repeating: 0, count: d)
        for i in symbols {
            for k in 0..<e {
                var s: Float = 0
                for j in 0..<d { s += E[i * d + j] * qkv[j * 3 * d + 2 * d + hd * e + k] }
                value[k] = s
            }
            for j in 0..<d {
                var s: Float = 0
                for k in 0..<e { s += value[k] * out[(hd * e + k) * d + j] }
                written[j] = s
            }
            var best = 0, top = -Float.infinity
            for v in 0..<V {
                var s: Float = 0
                for j in 0..<d { s += written[j] * U[j * V + v] }
                if s > top { top = s; best = v }
            }
            if best == i { copied += 1 }
        }
        return Double(copied) / Double(max(symbols.count, 1))
    }
}

/// One reading of a GPT's heads on the probe of `HeadScores`: every head's scores, and the
/// loss at each position of the probe, which shows in-context learning (Olsson et al., 2022):
///
///     positionLoss[t] = mean over the probe of −log p(s[t+1] | s[0…t])
///     first half      mean of positionLoss[t] for t < h−1  (s[t+1] is new: ≈ ln V at best)
///     repeat          mean of positionLoss[t] for t ≥ h−1  (s[t+1] = s[t+1−h], seen before)
///
/// A model that has learned to look back (an induction head) takes the repeat's loss far below
/// the first half's; `inContext` = repeat − first half is then strongly negative.
public struct HeadReading: Equatable, Sendable, Codable {
    public var heads: [HeadScores]
    public var positionLoss: [Double]
    /// h: the probe's symbols repeat from position h.
    public var half: Int

    public init(heads: [HeadScores], positionLoss: [Double], half: Int) {
        self.heads = heads
        self.positionLoss = positionLoss
        self.half = half
    }

    public var firstHalfLoss: Double { Self.mean(positionLoss.prefix(max(half - 1, 0))) }
    public var repeatLoss: Double { Self.mean(positionLoss.dropFirst(max(half - 1, 0))) }
    public var inContext: Double { repeatLoss - firstHalfLoss }
    /// The head with the highest induction score.
    public var likeliestInduction: HeadScores? { heads.max { $0.induction < $1.induction } }

    static func mean(_ xs: some Collection<Double>) -> Double { xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count) }
}
