import Foundation
import TensorCore

/// Writing with a sequence model, one symbol at a time (autoregressive decoding).
///
/// Each step runs the model on the last `block` symbols (fewer at first: the input is padded
/// with id 0 after them, which a causal model cannot see from the positions before), reads the
/// probabilities p at the last real position and picks the next symbol:
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
    /// is returned). Every row gets its own draws from `rng`, row by row, step by step.
    public static func write(after prompts: [[Int]], count: Int, block: Int, temperature: Float = 0, topK: Int? = nil,
                             topP: Float? = nil, rng: inout SeededGenerator, probabilities: (Tensor) -> Tensor?) -> [Written] {
        var sequences = prompts
        var written = Array(repeating: Written(ids: [], probabilities: []), count: prompts.count)
        var input = Tensor(shape: [prompts.count, block])
        for _ in 0..<count {
            guard let length = sequences.first?.count, length >= 1 else { break }
            let window = min(length, block)
            input.fill(0)
            for (i, sequence) in sequences.enumerated() {
                for t in 0..<window { input.scalars[i * block + t] = Float(sequence[length - window + t]) }
            }
            guard let output = probabilities(input), output.count % (prompts.count * block) == 0 else { break }
            let v = output.count / (prompts.count * block)
            for i in sequences.indices {
                let base = (i * block + window - 1) * v
                let p = Array(output.scalars[base..<(base + v)])
                let next = pick(p, temperature: temperature, topK: topK, topP: topP, rng: &rng)
                sequences[i].append(next)
                written[i].ids.append(next)
                written[i].probabilities.append(p[next])
            }
        }
        return written
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
