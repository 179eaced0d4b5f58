/// What the screen shows instead of panes when the terminal is too small:
/// `make the terminal at least 80×24 (now 60×20)`, centred, wrapped when narrow.
public struct MinimumSizeNotice: Widget {
    /// The fewest columns the screen needs.
    public var minimumWidth: Int
    /// The fewest rows the screen needs.
    public var minimumHeight: Int

    /// Creates the notice for a minimum size.
    public init(minimumWidth: Int, minimumHeight: Int) {
        self.minimumWidth = minimumWidth
        self.minimumHeight = minimumHeight
    }

    /// Whether a screen of `area`'s size is big enough (so the notice is not needed).
    public func isSatisfied(by area: Rect) -> Bool {
        area.width >= minimumWidth && area.height >= minimumHeight
    }

    /// The message for a screen of `area`'s size.
    public func message(for area: Rect, glyphs: Glyphs = .unicode) -> String {
        let x = glyphs.times
        return "make the terminal at least \(minimumWidth)\(x)\(minimumHeight) (now \(area.width)\(x)\(area.height))"
    }

    /// Draws the message centred in `area` (the whole screen) in the theme's `warning` style.
    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty else { return }
        let paragraph = Paragraph(lines: [[Span(message(for: area, glyphs: context.glyphs))]],
                                  alignment: .center, baseStyle: context.theme.style("warning"))
        let lines = min(area.height, paragraph.lineCount(width: area.width))
        let top = area.y + (area.height - lines) / 2
        paragraph.render(into: &buffer, area: Rect(x: area.x, y: top, width: area.width, height: lines),
                         context: context)
    }
}
