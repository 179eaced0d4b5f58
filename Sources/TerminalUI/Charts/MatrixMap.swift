/// A small matrix of values in 0…1 as a grid of coloured cells, with a label for every row and
/// every column: an attention map (query positions by key positions).
///
///     h1 21112001112        ← the title in the label column, then the column labels
///      2 █                  ← a row label, then one cell per column (`cellWidth` characters)
///      1 ██
///
/// With colour a cell is spaces on ``Theme/ramp(_:)``'s colour; without (`mono`) it is the shade
/// character of its value from ``Glyphs/shades``. NaN cells stay blank (a causal map's upper
/// triangle). Labels longer than a cell are cut to it. When the area is lower than the matrix,
/// the last rows are drawn (``firstRow`` says which row comes first).
public struct MatrixMap: Widget {
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// Written in the label column of the header line: `h1`.
    public var title: String
    public var cellWidth: Int

    public init(values: [[Double]], rowLabels: [String], columnLabels: [String], title: String, cellWidth: Int = 1) {
        self.values = values
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.title = title
        self.cellWidth = max(1, cellWidth)
    }

    /// The label column's width: the widest row label or the title.
    public var labelWidth: Int { max(rowLabels.map(\.count).max() ?? 0, title.count) }

    /// Columns the whole map takes: labels, a space, the cells.
    public var width: Int { labelWidth + 1 + columnLabels.count * cellWidth }

    /// Lines the whole map takes: the header and one per row.
    public var height: Int { 1 + values.count }

    /// The first row drawn in an area `height` lines high (the last rows are kept).
    public func firstRow(height: Int) -> Int { max(0, values.count - max(height - 1, 0)) }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard area.height >= 2, area.width >= width else { return }
        let theme = context.theme, glyphs = context.glyphs
        let colored = theme.usesColor && !theme.rampColors.isEmpty
        let x0 = area.x + labelWidth + 1
        func pad(_ text: String, _ width: Int) -> String {
            let cut = String(text.prefix(width))
            return String(repeating: " ", count: width - cut.count) + cut
        }
        _ = buffer.write(pad(title, labelWidth), x: area.x, y: area.y, style: theme.style("text.dim"), maxWidth: labelWidth)
        for (c, label) in columnLabels.enumerated() {
            _ = buffer.write(pad(label, cellWidth), x: x0 + c * cellWidth, y: area.y, style: theme.style("chart.label"),
                             maxWidth: cellWidth)
        }
        let first = firstRow(height: area.height)
        for (line, r) in (first..<values.count).enumerated() {
            let y = area.y + 1 + line
            _ = buffer.write(pad(r < rowLabels.count ? rowLabels[r] : "", labelWidth), x: area.x, y: y,
                             style: theme.style("chart.label"), maxWidth: labelWidth)
            for (c, value) in values[r].prefix(columnLabels.count).enumerated() where !value.isNaN {
                let v = min(1, max(0, value))
                let cell = colored
                    ? Cell(" ", style: Style(background: theme.ramp(v)))
                    : Cell(glyphs.shades[Int((v * Double(glyphs.shades.count - 1)).rounded())], style: theme.style("text"))
                for k in 0..<cellWidth { buffer[x0 + c * cellWidth + k, y] = cell }
            }
        }
    }
}
