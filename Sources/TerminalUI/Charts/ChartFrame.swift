import Foundation

/// How values map onto a chart axis.
public enum AxisScale: Equatable, Hashable, Sendable {
    /// Evenly spaced values.
    case linear
    /// Evenly spaced powers of ten; non-positive values cannot be shown and are skipped.
    case log
}

/// The axes of a chart and the plot area they leave: y labels on the left, an x axis line and
/// x labels along the bottom, and the mapping from data to dots.
///
///     10┤      ⢀⠔
///      5┤   ⢀⠔⠁
///      0┼⠔⠁
///       └┬────┬
///        0    5
///
/// The axes appear only when `showsAxes` and the area is at least 8×4 with room for a plot
/// 4 columns wide; otherwise the plot takes the whole area.
struct ChartFrame {
    let area: Rect
    private(set) var plot: Rect
    private(set) var hasAxes = false
    let braille: Bool
    /// The x range in plotted units (log10 of the values on a log axis).
    let xLow: Double, xHigh: Double
    let xScale: AxisScale
    /// The y range in plotted units (log10 of the values on a log axis).
    let yLow: Double, yHigh: Double
    let yScale: AxisScale
    private(set) var yTicks: [NiceTicks.Tick] = []
    private(set) var xTicks: [NiceTicks.Tick] = []

    /// `yRange` is in data units and must be positive for a log axis; empty ranges are widened.
    init(area: Rect, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, yScale: AxisScale,
         showsAxes: Bool, braille: Bool, xScale: AxisScale = .linear) {
        self.area = area
        self.plot = area
        self.braille = braille
        self.yScale = yScale
        self.xScale = xScale
        (xLow, xHigh) = xScale == .log
            ? ChartFrame.widened(log10(max(xRange.lowerBound, .leastNormalMagnitude)), log10(max(xRange.upperBound, .leastNormalMagnitude)))
            : ChartFrame.widened(xRange.lowerBound, xRange.upperBound)
        let (yLowData, yHighData) = (yRange.lowerBound, yRange.upperBound)
        (yLow, yHigh) = yScale == .log
            ? ChartFrame.widened(log10(max(yLowData, .leastNormalMagnitude)), log10(max(yHighData, .leastNormalMagnitude)))
            : ChartFrame.widened(yLowData, yHighData)
        guard showsAxes, area.height >= 4, area.width >= 8 else { return }
        let plotHeight = area.height - 2
        let count = max(2, min(plotHeight / 2 + 1, 8))
        let ticks = yScale == .log
            ? NiceTicks.logarithmic(from: pow(10, yLow), to: pow(10, yHigh), maxCount: count)
            : NiceTicks.linear(from: yLow, to: yHigh, maxCount: count)
        let labelWidth = max(1, ticks.map(\.label.count).max() ?? 1)
        let plotWidth = area.width - labelWidth - 1
        guard plotWidth >= 4 else { return }
        plot = Rect(x: area.x + labelWidth + 1, y: area.y, width: plotWidth, height: plotHeight)
        hasAxes = true
        yTicks = ticks
        xTicks = xScale == .log
            ? NiceTicks.logarithmic(from: pow(10, xLow), to: pow(10, xHigh), maxCount: max(2, plotWidth / 8))
            : NiceTicks.linear(from: xLow, to: xHigh, maxCount: max(2, plotWidth / 8))
    }

    /// A range with some width: equal bounds are spread around the value.
    static func widened(_ lower: Double, _ upper: Double) -> (Double, Double) {
        guard lower.isFinite, upper.isFinite else { return (0, 1) }
        if upper > lower { return (lower, upper) }
        let pad = lower == 0 ? 1 : abs(lower) * 0.1
        return (lower - pad, lower + pad)
    }

    /// An empty dot canvas covering the plot area.
    func makeCanvas() -> DotCanvas {
        DotCanvas(columns: plot.width, rows: plot.height, braille: braille)
    }

    private var dotsAcross: Int { braille ? 2 : 1 }
    private var dotsDown: Int { braille ? 4 : 2 }

    /// The dot column of `x` (fractional, unclipped; NaN for values a log axis cannot show).
    func dotX(_ x: Double) -> Double {
        let value = xScale == .log ? (x > 0 ? log10(x) : .nan) : x
        return (value - xLow) / (xHigh - xLow) * Double(max(0, plot.width * dotsAcross - 1))
    }

    /// The dot row of `y` (fractional, unclipped); nil for values the scale cannot show.
    func dotY(_ y: Double) -> Double? {
        let value = yScale == .log ? (y > 0 ? log10(y) : .nan) : y
        guard value.isFinite else { return nil }
        return (yHigh - value) / (yHigh - yLow) * Double(max(0, plot.height * dotsDown - 1))
    }

    /// The buffer column holding `x` (the plot's left edge for values a log axis cannot show).
    func column(forX x: Double) -> Int {
        let dot = dotX(x)
        return plot.x + (dot.isFinite ? Int((dot + Self.tieNudge).rounded()) : 0) / dotsAcross
    }

    /// The buffer row holding `y`.
    func row(forY y: Double) -> Int? { dotY(y).map { plot.y + Int(($0 + Self.tieNudge).rounded()) / dotsDown } }

    /// Added before rounding a position to a cell: values a rounding error apart (b = 0 and
    /// b = 1e-8 on a window centred on 0, which puts them on a tie between two rows) land in
    /// the same cell instead of on either side of the tie.
    static let tieNudge = 1e-6

    /// Draws the axis lines, tick marks and labels (nothing when there are no axes).
    func drawAxes(into buffer: inout Buffer, context: RenderContext) {
        guard hasAxes else { return }
        let g = context.glyphs
        let axis = context.theme.style("chart.axis"), label = context.theme.style("chart.label")
        let axisX = plot.x - 1, axisY = plot.maxY
        for y in plot.y..<plot.maxY { buffer[axisX, y] = Cell(g.vertical, style: axis) }
        for x in plot.x..<plot.maxX { buffer[x, axisY] = Cell(g.horizontal, style: axis) }
        buffer[axisX, axisY] = Cell(g.bottomLeft, style: axis)
        var usedRows = Set<Int>()
        for tick in yTicks {
            guard let row = row(forY: tick.value), row >= plot.y, row < plot.maxY, !usedRows.contains(row) else { continue }
            usedRows.insert(row)
            buffer[axisX, row] = Cell(g.verticalLeft, style: axis)
            buffer.write(tick.label, x: axisX - tick.label.count, y: row, style: label)
        }
        var nextFree = area.x
        for tick in xTicks {
            let column = column(forX: tick.value)
            guard column >= plot.x, column < plot.maxX else { continue }
            buffer[column, axisY] = Cell(g.horizontalDown, style: axis)
            let length = tick.label.count
            let start = min(max(column - (length - 1) / 2, area.x), area.maxX - length)
            guard start >= nextFree else { continue }
            buffer.write(tick.label, x: start, y: axisY + 1, style: label)
            nextFree = start + length + 1
        }
    }
}
