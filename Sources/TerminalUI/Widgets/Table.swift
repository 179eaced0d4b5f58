/// A header and rows of text in aligned columns.
///
///     layer          output  params
///     Dense 2→8 tanh (8)         24
///     Dense 8→1 sig  (1)          9
///
/// Column widths come from the content. When the area is too narrow the widest columns shrink
/// first (down to one column each) and cut text ends in `…`; columns that still do not fit are
/// cut at the right edge. Styles: `table.header` for the header, `text` for cells patched with
/// any per-cell override, and `selection` across the highlighted row.
public struct Table: Widget {
    /// A body cell: `row` indexes ``rows`` (not the display row), `column` the column.
    public struct Position: Hashable, Sendable {
        /// Index into ``Table/rows``.
        public var row: Int
        /// Column index.
        public var column: Int
        /// Creates a position.
        public init(row: Int, column: Int) {
            self.row = row
            self.column = column
        }
    }

    /// Column titles; empty for a table without a header row.
    public var header: [String]
    /// Body rows; rows may have fewer cells than there are columns.
    public var rows: [[String]]
    /// Alignment per column; columns without an entry are left-aligned.
    public var alignments: [Alignment]
    /// The body row drawn in the `selection` style, if any.
    public var highlightedRow: Int?
    /// Styles patched over single body cells (e.g. a confusion matrix's diagonal).
    public var cellStyles: [Position: Style]
    /// Blank columns between adjacent columns.
    public var columnSpacing: Int
    /// Body rows skipped at the top (the header always shows).
    public var scroll: Int

    /// Creates a table.
    public init(header: [String] = [], rows: [[String]], alignments: [Alignment] = [],
                highlightedRow: Int? = nil, cellStyles: [Position: Style] = [:],
                columnSpacing: Int = 2, scroll: Int = 0) {
        self.header = header
        self.rows = rows
        self.alignments = alignments
        self.highlightedRow = highlightedRow
        self.cellStyles = cellStyles
        self.columnSpacing = columnSpacing
        self.scroll = scroll
    }

    /// Number of columns: the widest of the header and the rows.
    public var columnCount: Int { max(header.count, rows.map(\.count).max() ?? 0) }

    /// The width that shows every cell whole.
    public var naturalWidth: Int {
        let widths = columnWidths(available: .max)
        return widths.reduce(max(0, columnSpacing) * max(0, widths.count - 1), +)
    }

    /// The width of each column within `available` columns (see the type's description).
    public func columnWidths(available: Int) -> [Int] {
        var widths = (0..<columnCount).map { column in
            max(header.count > column ? header[column].count : 0,
                rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0)
        }
        let spacing = max(0, columnSpacing) * max(0, widths.count - 1)
        var excess = widths.reduce(spacing, +) - max(0, available)
        // Cut the widest columns down to the next width (all at once while the excess allows),
        // then one cell each from the rightmost of the widest: columns shrink evenly.
        while excess > 0, let top = widths.max(), top > 1 {
            let ties = widths.indices.filter { widths[$0] == top }
            let next = max(1, widths.filter { $0 < top }.max() ?? 1)
            if ties.count * (top - next) <= excess {
                for index in ties { widths[index] = next }
                excess -= ties.count * (top - next)
            } else {
                for index in ties.reversed() where excess > 0 {
                    widths[index] -= 1
                    excess -= 1
                }
            }
        }
        return widths
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty, columnCount > 0 else { return }
        let widths = columnWidths(available: area.width)
        let text = context.theme.style("text")
        buffer.withClip(area) { buffer in
            var y = area.y
            if !header.isEmpty {
                drawRow(header, x: area.x, y: y, widths: widths, into: &buffer, context: context) { _ in
                    context.theme.style("table.header")
                }
                y += 1
            }
            for index in rows.indices.dropFirst(max(0, scroll)) where y < area.maxY {
                let row = Rect(x: area.x, y: y, width: area.width, height: 1)
                if index == highlightedRow { buffer.setStyle(row, context.theme.style("selection")) }
                drawRow(rows[index], x: area.x, y: y, widths: widths, into: &buffer, context: context) { column in
                    text.patched(with: cellStyles[Position(row: index, column: column)] ?? .plain)
                }
                y += 1
            }
        }
    }

    private func drawRow(_ cells: [String], x originX: Int, y: Int, widths: [Int], into buffer: inout Buffer,
                         context: RenderContext, style: (Int) -> Style) {
        var left = 0
        for (column, width) in widths.enumerated() {
            defer { left += width + max(0, columnSpacing) }
            guard column < cells.count, width > 0 else { continue }
            var content = cells[column]
            if content.count > width {
                content = String(content.prefix(width - 1)) + context.glyphs.ellipsis
            }
            let alignment = column < alignments.count ? alignments[column] : .left
            let offset = alignment.offset(length: content.count, in: width)
            buffer.write(content, x: originX + left + offset, y: y, style: style(column), maxWidth: width)
        }
    }
}
