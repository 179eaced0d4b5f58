/// A small bar chart of recent values: `▁▂▃▅▇█`, one column per value.
///
/// Shows the last `area.width` values, oldest on the left. With more than one row the bars
/// grow upwards through the rows (8 levels per row). The smallest value still shows the lowest
/// bar, so a flat series stays visible; NaN and infinite values leave a gap. Without Unicode
/// (``Glyphs/ascii``) the bars are `_ . - = #`.
public struct Sparkline: Widget {
    /// The values, oldest first.
    public var values: [Double]
    /// The value range mapped to the bar heights; nil uses the shown values' extent.
    public var range: ClosedRange<Double>?
    /// The bars' style; nil uses the theme's `accent`.
    public var style: Style?

    /// Creates a sparkline.
    public init(values: [Double], range: ClosedRange<Double>? = nil, style: Style? = nil) {
        self.values = values
        self.range = range
        self.style = style
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        let bars = context.glyphs.bars
        guard !area.isEmpty, !bars.isEmpty else { return }
        let shown = Array(values.suffix(area.width))
        let finite = shown.filter(\.isFinite)
        guard let low = range?.lowerBound ?? finite.min(), let high = range?.upperBound ?? finite.max() else { return }
        let barStyle = style ?? context.theme.style("accent")
        let levels = area.height * bars.count
        buffer.withClip(area) { buffer in
            for (column, value) in shown.enumerated() where value.isFinite {
                let fraction = high > low ? min(1, max(0, (value - low) / (high - low))) : 0.5
                let level = 1 + Int((fraction * Double(levels - 1)).rounded())
                for row in 0..<area.height {
                    let inCell = level - row * bars.count
                    guard inCell > 0 else { break }
                    buffer.write(bars[min(inCell, bars.count) - 1], x: area.x + column, y: area.maxY - 1 - row,
                                 style: barStyle)
                }
            }
        }
    }
}
