/// How well a sequence model gets its scored positions right.
///
///     exact = 1/n Σ_i [ŷ_it = t_it for every scored t]       (the whole answer right)
///     acc   = Σ_(i,t) [ŷ_it = t_it] / |scored positions|      (token by token)
///
/// ŷ_it is the arg-max of the logits at position t. Unscored positions (target −1) count in
/// neither. A sorting model with acc 0.95 over six output digits can still get only
/// 0.95⁶ ≈ 0.74 of the sequences exactly right, which is why the exact match is the headline.
public struct SequenceMetrics: Equatable, Sendable, Codable {
    public var exactMatch: Double
    public var tokenAccuracy: Double
    /// Sequences compared.
    public var sequences: Int
    /// True when some positions are not scored: the data are problems with answers, and the
    /// exact match is what counts. False for text, where every position is scored and a whole
    /// window right is rare and means little.
    public var scoresAnswers: Bool

    /// `predicted` and `targets` hold n sequences of `positions` tokens each, row by row.
    public init(predicted: [Int], targets: [Float], positions: Int) {
        let n = positions > 0 ? targets.count / positions : 0
        var exact = 0, right = 0, scored = 0
        for i in 0..<n {
            var whole = true
            for t in 0..<positions {
                let k = i * positions + t
                guard targets[k] >= 0 else { continue }
                scored += 1
                if predicted[k] == Int(targets[k]) { right += 1 } else { whole = false }
            }
            if whole { exact += 1 }
        }
        exactMatch = Double(exact) / Double(max(n, 1))
        tokenAccuracy = Double(right) / Double(max(scored, 1))
        sequences = n
        scoresAnswers = scored < n * positions
    }
}
