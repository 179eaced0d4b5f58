/// A grid of values in 0…1 drawn as colour, e.g. a classifier's probability over the plane,
/// with optional points on top.
///
/// With colour and half blocks every cell is an upper half block `▀` whose foreground is the
/// top grid row's colour and whose background the bottom row's, so one cell shows two grid rows;
/// colours come from the theme's ramp (``Theme/ramp(_:)``). With colour but no half blocks a
/// cell is a space on the mean colour. Without colour (`mono`) cells are shade characters
/// ` .:-=+*#%@` from empty (0) to full (1). The grid is stretched or sampled (nearest value) to
/// fill the area. `values[0]` is the top row (highest y), `values[r][0]` the left column.
///
/// Points are placed by ``xRange`` and ``yRange``, the data box the grid covers, and drawn as
/// `•` in their class colour on the colour beneath (or as their class mark without colour).
/// NaN values are left blank.
///
/// With ``classes`` the map shows regions instead of one quantity: each grid value is that
/// cell's class and `values` the confidence in it (0…1), coloured by ``Theme/classShade(_:confidence:)``
/// (one colour per class, stronger where the model is surer). Without colour a region cell is
/// its class letter (`a` for class 0, `b` for 1, …) where the confidence is at least ½, and `.`
/// where it is lower.
public struct HeatMap: Widget {
    /// Rows of values in 0…1, top row first; rows may be ragged (missing values are NaN).
    public var values: [[Double]]
    /// Points drawn on top of the grid.
    public var points: [ScatterPoint]
    /// The x extent of the grid, used to place points.
    public var xRange: ClosedRange<Double>
    /// The y extent of the grid, used to place points.
    public var yRange: ClosedRange<Double>
    /// Each cell's class, when the map shows class regions (`values` are then confidences).
    public var classes: [[Int]]?

    /// Creates a heat map.
    public init(values: [[Double]], points: [ScatterPoint] = [], xRange: ClosedRange<Double> = 0...1,
                yRange: ClosedRange<Double> = 0...1, classes: [[Int]]? = nil) {
        self.values = values
        self.classes = classes
        self.points = points
        self.xRange = xRange
        self.yRange = yRange
    }

    private var rowCount: Int { values.count }
    /// The widest row's length: counted once per render (it walks every row), not per cell.
    private var columnCount: Int {
        var widest = 0
        for row in values where row.count > widest { widest = row.count }
        return widest
    }

    /// The value (and class, or -1) for sub-row `subRow` of `subRows` and column `column` of
    /// `columns`, of a grid `columnCount` wide.
    private func sample(subRow: Int, of subRows: Int, column: Int, of columns: Int, columnCount: Int) -> (value: Double, group: Int) {
        let row = subRow * rowCount / subRows, col = column * columnCount / columns
        guard col < values[row].count else { return (.nan, -1) }
        let group = classes.map { col < $0[row].count ? $0[row][col] : -1 } ?? -1
        return (values[row][col], group)
    }

    /// The region letter of a class: `a`, `b`, … `z`, then `a` again.
    public static func regionLetter(_ group: Int) -> String {
        String(UnicodeScalar(UInt8(97 + ((group % 26) + 26) % 26)))
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        let columnCount = columnCount
        guard !area.isEmpty, rowCount > 0, columnCount > 0 else { return }
        let theme = context.theme, glyphs = context.glyphs
        let colored = theme.usesColor && !theme.rampColors.isEmpty
        let halfBlocks = colored && glyphs.usesHalfBlocks
        let subRows = area.height * 2
        func color(_ sample: (value: Double, group: Int)) -> Color {
            if sample.value.isNaN { return .terminalDefault }
            return classes == nil ? theme.ramp(sample.value) : theme.classShade(sample.group, confidence: sample.value)
        }
        // The colour under each half cell, for the points drawn on top.
        var under = [Color](repeating: .terminalDefault, count: area.width * subRows)
        buffer.withClip(area) { buffer in
            for cy in 0..<area.height {
                for cx in 0..<area.width {
                    let top = sample(subRow: 2 * cy, of: subRows, column: cx, of: area.width, columnCount: columnCount)
                    let bottom = sample(subRow: 2 * cy + 1, of: subRows, column: cx, of: area.width, columnCount: columnCount)
                    let mean: (value: Double, group: Int) = top.value.isNaN ? bottom : (bottom.value.isNaN ? top : ((top.value + bottom.value) / 2, top.group))
                    var cell = Cell.blank
                    if halfBlocks, !top.value.isNaN {
                        cell = Cell(glyphs.upperHalfBlock, style: Style(foreground: color(top), background: color(bottom)))
                    } else if colored, !mean.value.isNaN {
                        cell = Cell(" ", style: Style(background: color(halfBlocks ? bottom : mean)))
                    } else if !mean.value.isNaN, classes != nil {
                        let surer = max(top.value.isNaN ? 0 : top.value, bottom.value.isNaN ? 0 : bottom.value)
                        cell = Cell(surer >= 0.5 ? Self.regionLetter(mean.group) : ".", style: theme.style("text.dim"))
                    } else if !mean.value.isNaN, !glyphs.shades.isEmpty {
                        let level = Int((min(1, max(0, mean.value)) * Double(glyphs.shades.count - 1)).rounded())
                        cell = Cell(glyphs.shades[level], style: theme.style("text"))
                    }
                    buffer[area.x + cx, area.y + cy] = cell
                    under[2 * cy * area.width + cx] = halfBlocks ? color(top) : cell.style.background
                    under[(2 * cy + 1) * area.width + cx] = halfBlocks ? color(bottom) : cell.style.background
                }
            }
            drawPoints(into: &buffer, area: area, under: under, colored: colored, context: context)
        }
    }

    private func drawPoints(into buffer: inout Buffer, area: Rect, under: [Color], colored: Bool,
                            context: RenderContext) {
        let (x0, x1) = ChartFrame.widened(xRange.lowerBound, xRange.upperBound)
        let (y0, y1) = ChartFrame.widened(yRange.lowerBound, yRange.upperBound)
        let subRows = area.height * 2
        for point in points {
            let fx = (point.x - x0) / (x1 - x0), fy = (y1 - point.y) / (y1 - y0)
            guard fx >= 0, fx <= 1, fy >= 0, fy <= 1 else { continue }
            let cx = min(area.width - 1, Int(fx * Double(area.width)))
            let sub = min(subRows - 1, Int(fy * Double(subRows)))
            let classStyle = context.theme.classStyle(point.group)
            let cell = colored
                ? Cell(context.glyphs.point, style: classStyle.patched(with: Style(background: under[sub * area.width + cx])))
                : Cell(context.glyphs.classMark(point.group), style: classStyle)
            buffer[area.x + cx, area.y + sub / 2] = cell
        }
    }
}
