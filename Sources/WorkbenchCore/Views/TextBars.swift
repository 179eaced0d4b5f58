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
