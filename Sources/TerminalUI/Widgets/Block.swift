/// A bordered frame with a title on its top edge: the outline of every pane.
///
///     ┌ Loss ─────── train val ─┐
///     │                         │
///     └ epoch 37 ───────────────┘
///
/// The title sits after the top-left corner; the right title (a legend, a mode) is right-aligned
/// on the top edge and dropped when there is no room for it after the title; the bottom title
/// sits on the bottom edge. Focused blocks use `pane.border.focused` and `pane.title.focused`.
/// Draw the block first, then the content into ``inner(_:)``.
public struct Block: Widget {
    /// Which edges have a border.
    public struct Borders: OptionSet, Hashable, Sendable {
        /// One bit per edge.
        public let rawValue: UInt8
        /// Creates a set of edges from bits (see the named edges).
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The top edge (where the titles go).
        public static let top = Borders(rawValue: 1)
        /// The bottom edge.
        public static let bottom = Borders(rawValue: 2)
        /// The left edge.
        public static let left = Borders(rawValue: 4)
        /// The right edge.
        public static let right = Borders(rawValue: 8)
        /// All four edges.
        public static let all: Borders = [.top, .bottom, .left, .right]
        /// No border at all (the block then only fills its titles' space: nothing).
        public static let none: Borders = []
    }

    /// The title, left on the top edge (patched over `pane.title`).
    public var title: [Span]
    /// Text right-aligned on the top edge, e.g. a legend (patched over `text`).
    public var rightTitle: [Span]
    /// Text on the bottom edge, left (patched over `text`).
    public var bottomTitle: [Span]
    /// Whether the right title keeps its place when both do not fit, the title cut instead.
    public var rightFirst = false
    /// Whether the pane has the keyboard focus: its border and title take the focused styles,
    /// and ``Glyphs/focusMark`` goes before its title.
    public var isFocused: Bool
    /// Which edges to draw.
    public var borders: Borders

    /// Creates a block with a plain-text title.
    public init(title: String = "", rightTitle: [Span] = [], bottomTitle: [Span] = [],
                isFocused: Bool = false, borders: Borders = .all) {
        self.init(titleSpans: title.isEmpty ? [] : [Span(title)], rightTitle: rightTitle,
                  bottomTitle: bottomTitle, isFocused: isFocused, borders: borders)
    }

    /// Creates a block with a styled title.
    public init(titleSpans: [Span], rightTitle: [Span] = [], bottomTitle: [Span] = [],
                isFocused: Bool = false, borders: Borders = .all) {
        self.title = titleSpans
        self.rightTitle = rightTitle
        self.bottomTitle = bottomTitle
        self.isFocused = isFocused
        self.borders = borders
    }

    /// The area inside the borders (empty when the block is too small to have an inside).
    public func inner(_ area: Rect) -> Rect {
        area.inset(top: borders.contains(.top) ? 1 : 0, left: borders.contains(.left) ? 1 : 0,
                   bottom: borders.contains(.bottom) ? 1 : 0, right: borders.contains(.right) ? 1 : 0)
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard area.width >= 2, area.height >= 2 else { return }
        let g = context.glyphs
        let border = context.theme.style(isFocused ? "pane.border.focused" : "pane.border")
        buffer.withClip(area) { buffer in
            let (left, right) = (area.x, area.maxX - 1)
            let (top, bottom) = (area.y, area.maxY - 1)
            let hasLeft = borders.contains(.left), hasRight = borders.contains(.right)
            for (edge, row, leftCorner, rightCorner) in [(Borders.top, top, g.topLeft, g.topRight),
                                                         (Borders.bottom, bottom, g.bottomLeft, g.bottomRight)]
            where borders.contains(edge) {
                for x in left...right { buffer[x, row] = Cell(g.horizontal, style: border) }
                if hasLeft { buffer[left, row] = Cell(leftCorner, style: border) }
                if hasRight { buffer[right, row] = Cell(rightCorner, style: border) }
            }
            let sideRows = (borders.contains(.top) ? top + 1 : top)..<(borders.contains(.bottom) ? bottom : bottom + 1)
            for y in sideRows {
                if hasLeft { buffer[left, y] = Cell(g.vertical, style: border) }
                if hasRight { buffer[right, y] = Cell(g.vertical, style: border) }
            }
            if borders.contains(.top) { drawTitles(into: &buffer, row: top, area: area, context: context) }
            if borders.contains(.bottom), !bottomTitle.isEmpty {
                let base = context.theme.style("text")
                let room = area.width - 4
                if room > 0 {
                    let spans = bottomTitle.truncated(to: room, ellipsis: g.ellipsis)
                    buffer.write([" "] + spans + [" "], x: area.x + 1, y: bottom, style: base, maxWidth: area.width - 2)
                }
            }
        }
    }

    /// Title after the corner (` title `), then the right title before the last `─` and corner.
    private func drawTitles(into buffer: inout Buffer, row: Int, area: Rect, context: RenderContext) {
        let room = area.width - 4  // corner, space … space, corner
        guard room > 0 else { return }
        let titleStyle = context.theme.style(isFocused ? "pane.title.focused" : "pane.title")
        var used = 0
        let rightWidth = rightTitle.width
        if !title.isEmpty {
            let marked = isFocused ? [Span(context.glyphs.focusMark + " ")] + title : title
            // With `rightFirst`, a long title gives way to the right one (a pane's keys, counters,
            // key of colours), down to 12 columns of its own, when that makes the right one fit:
            // "Lesson The learning r… ─ cell 1/4 · F8", not the title alone.
            let beside = room - rightWidth - 4
            let kept = rightFirst && rightWidth > 0 && beside >= min(marked.width, 12) ? beside : room
            let spans = marked.truncated(to: kept, ellipsis: context.glyphs.ellipsis)
            buffer.write(" ", x: area.x + 1, y: row)
            buffer.write(spans, x: area.x + 2, y: row, style: titleStyle)
            buffer.write(" ", x: area.x + 2 + spans.width, y: row)
            used = spans.width + 2
        }
        // The right title needs its two spaces, one border cell before it and one after it.
        guard rightWidth > 0, used + rightWidth + 2 + 1 + 1 <= area.width - 2 else { return }
        let start = area.maxX - 2 - rightWidth - 2
        buffer.write([" "] + rightTitle + [" "], x: start, y: row, style: context.theme.style("text"))
    }
}
