import NeuralEngine

/// What the last `ablate` or `patch` measured, over all scored positions of the validation
/// split: the run, the head (as `show heads` names it), intact and changed.
struct HeadEffectSummary {
    var run: Int
    var head: String
    var loss: Double, accuracy: Double
    var changedLoss: Double, changedAccuracy: Double

    init(run: Int, head: String, _ effects: [HeadEffect]) {
        let all = HeadEffect.overall(effects)
        self.run = run
        self.head = head
        (loss, accuracy, changedLoss, changedAccuracy) = (all.loss, all.accuracy, all.changedLoss, all.changedAccuracy)
    }
}

/// Values as one line of eight-level bars, `▁▂▃▅▇█`, scaled to `range` (their extent when nil);
/// NaN shows as a space.
func textBars(_ values: [Double], range: ClosedRange<Double>? = nil) -> String {
    let levels = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    let finite = values.filter(\.isFinite)
    guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else { return "" }
    return values.map { v in
        guard v.isFinite else { return " " }
        let f = high > low ? min(1, max(0, (v - low) / (high - low))) : 0.5
        return levels[Int((f * 7).rounded())]
    }.joined()
}
