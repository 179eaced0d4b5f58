import Foundation
import TensorCore

/// Writing with a sequence model, one symbol at a time (autoregressive decoding).
///
/// Each step runs the model on the last `block` symbols (fewer at first: the input is padded
/// with id 0 after them, which a causal model cannot see from the positions before), reads the
/// probabilities p at the last real position and picks the next symbol. A GPT given a
/// `CachedDecoder` computes only the new position while the sequence fits the block:
///
///     temperature 0     the likeliest symbol (greedy: what `predict` writes)
///     temperature τ > 0 a draw from p_i^(1/τ) / Σ_j p_j^(1/τ)  (τ < 1 sharper, τ > 1 flatter),
///                       among the `topK` likeliest symbols only when `topK` is given
///
/// The probability kept with each symbol is the model's own p of it, before temperature.
public enum Sampling {
    public struct Written: Equatable, Sendable {
        public var ids: [Int]
        public var probabilities: [Float]
    }

    /// `count` symbols after each of `prompts` (all of one length, at least 1). `probabilities`
    /// is the model's forward pass in evaluation mode: a (rows, block) batch of ids in, per-position
    /// probabilities (rows, block, vocabulary) out, nil on failure (then what was written so far
    /// is returned). Every row gets its own draws from `rng`, row by row, step by step. With a
    /// `decoder` (a KV cache), each symbol costs one position while the window still grows.
    public static func write(after prompts: [[Int]], count: Int, block: Int, temperature: Float = 0, topK: Int? = nil,
                             topP: Float? = nil, rng: inout SeededGenerator, decoder: CachedDecoder? = nil,
                             probabilities: (Tensor) -> Tensor?) -> [Written] {
        let writer = Writer(prompts: prompts, block: block, decoder: decoder)
        for _ in 0..<count {
            guard writer.next(temperature: temperature, topK: topK, topP: topP, rng: &rng, probabilities: probabilities) else { break }
        }
        return writer.written
    }

    /// Sequences being written, one symbol per row per `next`: what `write` loops over, and
    /// what a streaming server keeps between the symbols it sends (`keep` drops finished rows).
    public final class Writer {
        public private(set) var sequences: [[Int]]
        public private(set) var written: [Written]
        let block: Int
        let decoder: CachedDecoder?
        private var input: Tensor
        /// True while the decoder's cache holds every row's sequence but its last symbol.
        private var cached = false

        public init(prompts: [[Int]], block: Int, decoder: CachedDecoder?) {
            sequences = prompts
            written = Array(repeating: Written(ids: [], probabilities: []), count: prompts.count)
            self.block = block
            self.decoder = decoder.flatMap { $0.block == block ? $0 : nil }
            input = Tensor(shape: [prompts.count, block])
        }

        /// Keeps the rows `kept` (indices, in order).
        public func keep(rows kept: [Int]) {
            sequences = kept.map { sequences[$0] }
            written = kept.map { written[$0] }
            if cached { decoder?.keep(rows: kept) }
            input = Tensor(shape: [kept.count, block])
        }

        /// Writes one more symbol in every row; false when the model failed (nothing written).
        public func next(temperature: Float, topK: Int?, topP: Float?, rng: inout SeededGenerator,
                         probabilities: (Tensor) -> Tensor?) -> Bool {
            guard let length = sequences.first?.count, length >= 1, !sequences.isEmpty else { return false }
            let v: Int, rows: [[Float]]
            if let decoder, length <= block {
                if !cached || decoder.position != length - 1 {
                    decoder.reset(rows: sequences.count)
                    for t in 0..<(length - 1) { _ = decoder.step(ids: sequences.map { $0[t] }) }
                    cached = true
                }
                let p = decoder.step(ids: sequences.map { $0[length - 1] })
                v = p.count / sequences.count
                rows = sequences.indices.map { Array(p[($0 * v)..<(($0 + 1) * v)]) }
            } else {
                cached = false
                let window = min(length, block)
                input.fill(0)
                for (i, sequence) in sequences.enumerated() {
                    for t in 0..<window { input.scalars[i * block + t] = Float(sequence[length - window + t]) }
                }
                guard let output = probabilities(input), output.count % (sequences.count * block) == 0 else { return false }
                v = output.count / (sequences.count * block)
                rows = sequences.indices.map { i in
                    let base = (i * block + window - 1) * v
                    return Array(output.scalars[base..<(base + v)])
                }
            }
            for i in sequences.indices {
                let next = pick(rows[i], temperature: temperature, topK: topK, topP: topP, rng: &rng)
                sequences[i].append(next)
                written[i].ids.append(next)
                written[i].probabilities.append(rows[i][next])
            }
            return true
        }
    }

    /// One symbol from probabilities `p` (see the type's description). `topP` (nucleus
    /// sampling, Holtzman et al. 2019) keeps the likeliest symbols whose probabilities add up to
    /// at least `topP`, after `topK`.
    public static func pick(_ p: [Float], temperature: Float, topK: Int?, topP: Float? = nil, rng: inout SeededGenerator) -> Int {
        let ranked = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
        guard temperature > 0, let best = ranked.first else { return ranked.first ?? 0 }
        var candidates = ranked.prefix(max(1, min(topK ?? p.count, p.count)))
        if let topP, topP < 1 {
            var mass: Float = 0
            let kept = candidates.prefix { index in defer { mass += p[index] }; return mass < topP }
            candidates = kept.isEmpty ? candidates.prefix(1) : kept
        }
        // p^(1/τ) in logs, shifted by the largest, so small τ does not underflow.
        let logs = candidates.map { Double(log(max(p[$0], .leastNonzeroMagnitude))) / Double(temperature) }
        let top = logs.max() ?? 0
        let weights = logs.map { exp($0 - top) }
        var u = Double(rng.uniform()) * weights.reduce(0, +)
        for (k, w) in zip(candidates, weights) {
            u -= w
            if u < 0 { return k }
        }
        return candidates.last ?? best
    }
}
