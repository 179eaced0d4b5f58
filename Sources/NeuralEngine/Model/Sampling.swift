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
                             probabilities: @escaping (Tensor) -> Tensor?) -> [Written] {
        let writer = Writer(prompts: prompts, block: block, decoder: decoder, probabilities: probabilities)
        for _ in 0..<count {
            guard writer.next(temperature: temperature, topK: topK, topP: topP, rng: &rng) else { break }
        }
        return writer.written
    }

    /// Sequences being written, one symbol per row per `next`: what `write` loops over (a
    /// `WritingBatch` of one member).
    public final class Writer {
        public private(set) var written: [Written]
        private let batch: WritingBatch
        private let member: WritingBatch.Member

        public init(prompts: [[Int]], block: Int, decoder: CachedDecoder?, probabilities: @escaping (Tensor) -> Tensor?) {
            written = Array(repeating: Written(ids: [], probabilities: []), count: prompts.count)
            batch = WritingBatch(block: block, decoder: decoder, probabilities: probabilities)
            member = batch.join(prompts: prompts)
        }

        public var sequences: [[Int]] { batch.sequences(of: member) }

        /// Keeps the rows `kept` (indices, in order).
        public func keep(rows kept: [Int]) {
            batch.keep(member, rows: kept)
            written = kept.map { written[$0] }
        }

        /// Writes one more symbol in every row; false when the model failed (nothing written).
        public func next(temperature: Float, topK: Int?, topP: Float?, rng: inout SeededGenerator) -> Bool {
            guard !written.isEmpty, let rows = batch.next()?[member] else { return false }
            var ids: [Int] = []
            for (i, p) in rows.enumerated() {
                let next = pick(p, temperature: temperature, topK: topK, topP: topP, rng: &rng)
                ids.append(next)
                written[i].ids.append(next)
                written[i].probabilities.append(p[next])
            }
            batch.append(member, ids: ids)
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
