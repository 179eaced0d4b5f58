import Foundation

/// Axis ticks at "nice" values: 1, 2 or 5 × 10^k apart (linear), or powers of ten (log).
///
/// Pure functions of a range, so axes are predictable and testable: ticks lie inside the
/// range (never outside it), there are at most `maxCount` of them, and labels are as short as
/// the step allows (`0.5`, `10`, `2e-5`).
public enum NiceTicks {
    /// A tick: where it goes and what it says.
    public struct Tick: Equatable, Sendable {
        /// The value on the axis (in data units, also on a log axis).
        public var value: Double
        /// The label text.
        public var label: String

        /// Creates a tick.
        public init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    /// Ticks for a linear axis from `lower` to `upper` (in either order): the multiples of the
    /// smallest nice step that leaves at most `maxCount` of them inside the range. A zero-width range gives one tick;
    /// non-finite bounds or `maxCount < 1` give none.
    public static func linear(from lower: Double, to upper: Double, maxCount: Int) -> [Tick] {
        guard lower.isFinite, upper.isFinite, maxCount >= 1 else { return [] }
        let (lo, hi) = (min(lower, upper), max(lower, upper))
        guard hi > lo else { return [Tick(value: lo, label: label(lo, step: magnitude(of: lo)))] }
        guard maxCount >= 2 else { return Array(linear(from: lo, to: hi, maxCount: 2).prefix(1)) }
        // The smallest nice step that leaves at most maxCount ticks inside the range. When
        // that leaves a single tick, every 2nd (3rd …) tick of the finer step reads better.
        var step = niceStep(atLeast: (hi - lo) / Double(maxCount + 1))
        var (first, last) = tickIndices(lo, hi, step)
        while last - first + 1 > Double(maxCount) {
            let finer = (step: step, first: first, last: last)
            step = niceStep(atLeast: step * 1.5)
            (first, last) = tickIndices(lo, hi, step)
            if last <= first {
                let stride = ((finer.last - finer.first) / Double(maxCount - 1)).rounded(.up)
                return Swift.stride(from: finer.first, through: finer.last, by: stride).map { index in
                    Tick(value: index * finer.step, label: label(index * finer.step, step: finer.step))
                }
            }
        }
        guard first <= last else { return [] }
        return stride(from: first, through: last, by: 1).map { index in
            let value = index * step == 0 ? 0 : index * step  // no "-0"
            return Tick(value: value, label: label(value, step: step))
        }
    }

    /// The indices of the first and last multiple of `step` inside `lo...hi`.
    private static func tickIndices(_ lo: Double, _ hi: Double, _ step: Double) -> (Double, Double) {
        ((lo / step - 1e-9).rounded(.up), (hi / step + 1e-9).rounded(.down))
    }

    /// Ticks for a logarithmic axis: 1, 2, 5 × 10^k when they fit, else powers of ten (every
    /// decade, or every 2nd, 3rd … so that at most `maxCount` remain). A range within one decade
    /// falls back to ``linear(from:to:maxCount:)``. Non-positive bounds give no ticks.
    public static func logarithmic(from lower: Double, to upper: Double, maxCount: Int) -> [Tick] {
        guard lower.isFinite, upper.isFinite, lower > 0, upper > 0, maxCount >= 1 else { return [] }
        let (lo, hi) = (min(lower, upper), max(lower, upper))
        let firstDecade = Int(log10(lo).rounded(.down)), lastDecade = Int(log10(hi).rounded(.up))
        func ticks(multipliers: [Double], every: Int) -> [Tick] {
            var result: [Tick] = []
            for decade in stride(from: firstDecade, through: lastDecade, by: 1) where decade % every == 0 {
                for multiplier in multipliers {
                    let value = multiplier * pow(10, Double(decade))
                    if value >= lo * (1 - 1e-9), value <= hi * (1 + 1e-9) {
                        result.append(Tick(value: value, label: logLabel(multiplier, decade)))
                    }
                }
            }
            return result
        }
        let dense = ticks(multipliers: [1, 2, 5], every: 1)
        if dense.count < 2 { return linear(from: lo, to: hi, maxCount: maxCount) }
        if dense.count <= maxCount { return dense }
        for every in 1...max(1, lastDecade - firstDecade + 1) {
            let decades = ticks(multipliers: [1], every: every)
            if decades.count <= maxCount { return decades }
        }
        return []
    }

    /// `2e-5`, `1e6` beyond four decades from 1; `0.002`, `500` within.
    private static func logLabel(_ multiplier: Double, _ decade: Int) -> String {
        let value = multiplier * pow(10, Double(decade))
        return abs(decade) >= 4 ? "\(Int(multiplier))e\(decade)" : label(value, step: pow(10, Double(decade)))
    }

    /// The smallest of 1, 2, 5 × 10^k that is at least `minimum` (which must be positive).
    public static func niceStep(atLeast minimum: Double) -> Double {
        guard minimum > 0, minimum.isFinite else { return 1 }
        let scale = pow(10, log10(minimum).rounded(.down))
        let fraction = minimum / scale
        for nice in [1.0, 2, 5] where fraction <= nice * (1 + 1e-9) { return nice * scale }
        return 10 * scale
    }

    /// A label for `value` with as many decimals as `step` needs; exponent form (`2e-5`, `1e6`)
    /// for very small steps or very large values.
    public static func label(_ value: Double, step: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        let positiveStep = abs(step) > 0 ? abs(step) : magnitude(of: value)
        if abs(value) >= 1e6 || positiveStep < 1e-4 {
            return String(format: "%g", value)
                .replacingOccurrences(of: "e+0", with: "e").replacingOccurrences(of: "e+", with: "e")
                .replacingOccurrences(of: "e-0", with: "e-")
        }
        // As many decimals as the step has: 0.5 needs one, 0.25 two, 5 none.
        var decimals = max(0, -Int((log10(positiveStep) + 1e-9).rounded(.down)))
        while decimals < 12 {
            let scaled = positiveStep * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) <= 1e-6 * scaled { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", value)
    }

    /// 10^floor(log10 |value|), or 1 for 0.
    private static func magnitude(of value: Double) -> Double {
        value == 0 ? 1 : pow(10, log10(abs(value)).rounded(.down))
    }
}
