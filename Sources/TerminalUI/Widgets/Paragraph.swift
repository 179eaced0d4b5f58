/// Lines of styled text, optionally word-wrapped, scrolled and aligned.
///
/// Spans are patched over `baseStyle` (the theme's `text` style when nil). Without wrapping,
/// lines longer than the area are cut at its right edge. `scroll` is the number of display
/// rows (after wrapping) skipped at the top; ``lineCount(width:)`` tells how many there are,
/// so a pane can scroll to the end with `scroll = max(0, lineCount(width:) - height)`.
public struct Paragraph: Widget {
    /// The lines, each a list of spans.
    public var lines: [[Span]]
    /// Whether long lines wrap at spaces (words longer than the width are cut).
    public var wrap: Bool
    /// Display rows skipped at the top.
    public var scroll: Int
    /// Placement of each display row.
    public var alignment: Alignment
    /// The style under every span; nil uses the theme's `text`.
    public var baseStyle: Style?

    /// Creates a paragraph from lines of spans.
    public init(lines: [[Span]], wrap: Bool = true, scroll: Int = 0, alignment: Alignment = .left,
                baseStyle: Style? = nil) {
        self.lines = lines
        self.wrap = wrap
        self.scroll = scroll
        self.alignment = alignment
        self.baseStyle = baseStyle
    }

    /// Creates a paragraph from text in one style; `"\n"` separates lines.
    public init(_ text: String, style: Style = .plain, wrap: Bool = true, scroll: Int = 0,
                alignment: Alignment = .left) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .map { [Span(String($0), style)] }
        self.init(lines: lines, wrap: wrap, scroll: scroll, alignment: alignment)
    }

    /// The number of display rows the paragraph takes at `width` columns.
    public func lineCount(width: Int) -> Int {
        displayRows(width: width).count
    }

    /// The rows as they are drawn: wrapped (or not) but not yet scrolled.
    private func displayRows(width: Int) -> [[StyledGrapheme]] {
        guard width > 0 else { return [] }
        return lines.flatMap { line -> [[StyledGrapheme]] in
            let graphemes = TextWrapping.graphemes(of: line)
            return wrap ? TextWrapping.wrap(graphemes, width: width) : [Array(graphemes.prefix(width))]
        }
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty else { return }
        let base = baseStyle ?? context.theme.style("text")
        let rows = displayRows(width: area.width).dropFirst(max(0, scroll)).prefix(area.height)
        buffer.withClip(area) { buffer in
            for (index, row) in rows.enumerated() {
                let y = area.y + index
                var x = area.x + alignment.offset(length: row.count, in: area.width)
                for grapheme in row {
                    buffer.write(String(grapheme.symbol), x: x, y: y, style: base.patched(with: grapheme.style))
                    x += 1
                }
            }
        }
    }
}
