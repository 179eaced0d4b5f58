/// Counts of (true class, predicted class) pairs, with the metrics read off them.
///
///     precision_c = TP_c / (TP_c + FP_c)     (column c)
///     recall_c    = TP_c / (TP_c + FN_c)     (row c)
///     F1_c        = 2 P R / (P + R)
///
/// Where a denominator is zero (a class never predicted, or absent from the truth) the metric
/// is defined as 0, as scikit-learn's `zero_division=0` does; it is never NaN. Macro averages
/// are the unweighted means over all classes.
public struct ConfusionMatrix: Equatable, Sendable, Codable {
    public let classes: Int
    /// counts[t][p]: samples of true class t predicted as p.
    public private(set) var counts: [[Int]]

    public init(classes: Int) {
        self.classes = classes
        counts = (0..<classes).map { _ in Array(repeating: 0, count: classes) }   // k + 1 arrays, none shared
    }

    /// Tallies `truth` against `predicted` (equal lengths, values in 0..<classes).
    public init(truth: [Int], predicted: [Int], classes: Int) {
        self.init(classes: classes)
        for (t, p) in zip(truth, predicted) { add(truth: t, predicted: p) }
    }

    /// Counts one sample of class `truth` predicted as `predicted` (ignored outside 0..<classes).
    public mutating func add(truth t: Int, predicted p: Int) {
        if t >= 0 && t < classes && p >= 0 && p < classes { counts[t][p] += 1 }
    }

    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    public var accuracy: Double {
        total == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + counts[$1][$1] }) / Double(total)
    }

    public func precision(_ c: Int) -> Double {
        let predicted = (0..<classes).reduce(0) { $0 + counts[$1][c] }
        return predicted == 0 ? 0 : Double(counts[c][c]) / Double(predicted)
    }

    public func recall(_ c: Int) -> Double {
        let actual = counts[c].reduce(0, +)
        return actual == 0 ? 0 : Double(counts[c][c]) / Double(actual)
    }

    public func f1(_ c: Int) -> Double {
        let p = precision(c), r = recall(c)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    public var macroPrecision: Double { mean((0..<classes).map(precision)) }
    public var macroRecall: Double { mean((0..<classes).map(recall)) }
    public var macroF1: Double { mean((0..<classes).map(f1)) }

    private func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }
}
