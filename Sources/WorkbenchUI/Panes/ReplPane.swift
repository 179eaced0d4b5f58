import TerminalUI
import WorkbenchCore

/// Command output above, the readline input line at the bottom.
@MainActor
struct ReplPane {
    let app: WorkbenchApp

    func render(into buffer: inout Buffer, area: Rect, focused: Bool, input: InputLine) -> (x: Int, y: Int)? {
        let context = app.context, theme = context.theme
        let scrolled = app.scroll[.repl, default: 0]
        // Lay the output out first: the title says whether there is more above.
        let outputArea = Rect(x: area.x + 1, y: area.y + 1, width: max(area.width - 2, 0), height: max(area.height - 3, 0))
        // Table rows are never wrapped: cut at the edge with a mark (F4 zooms to see them whole).
        let width = outputArea.width
        let lines = app.output.map { line -> [Span] in
            let style = Self.style(for: line.kind, theme: theme)
            guard line.kind == .table, line.text.count > width, width > 1 else { return [Span(line.text, style)] }
            return [Span(String(line.text.prefix(width - 1)), style), Span(context.glyphs.ellipsis, theme.style("accent"))]
        }
        let total = Paragraph(lines: lines, wrap: true).lineCount(width: outputArea.width)
        let maxScroll = max(total - outputArea.height, 0)
        let right: [Span]
        if scrolled > 0 {
            right = [Span("↑\(min(scrolled, maxScroll)) lines · PgDn", theme.style("text.dim"))]
        } else {
            // Keys said only where they act: F4 zooms the focused pane (zoomed, it goes back), PgUp
            // scrolls the focused one.
            let cut = focused && app.zoomed == nil
                && app.output.suffix(outputArea.height).contains { $0.kind == .table && $0.text.count > width }
            // A narrow pane keeps the keys that act here; `help · F1 keys` is on the status line too.
            let keys = cut ? "F4: whole rows" : "", earlier = maxScroll > 0 && focused ? "PgUp: earlier" : ""
            let acting = [keys, earlier].filter { !$0.isEmpty }.joined(separator: " · ")
            let room = area.width - "┌ ▶ REPL ─".count - 4
            let tail = acting.isEmpty || acting.count + " · help · F1 keys".count <= room ? "help · F1 keys" : ""
            right = [Span(keys + (keys.isEmpty || (earlier.isEmpty && tail.isEmpty) ? "" : " · "), theme.style("accent")),
                     Span([earlier, tail].filter { !$0.isEmpty }.joined(separator: " · "), theme.style("text.dim"))]
        }
        let inner = framePane([Span("REPL", theme.style("pane.title"))], right: right, focused: focused,
                              into: &buffer, area: area, context: context)
        guard inner.height > 0 else { return nil }
        let offset = max(maxScroll - scrolled, 0)
        Paragraph(lines: lines, wrap: true, scroll: offset).render(into: &buffer, area: outputArea, context: context)
        let inputArea = Rect(x: inner.x, y: inner.y + inner.height - 1, width: inner.width, height: 1)
        return Self.renderInput(input, into: &buffer, area: inputArea, context: context)
    }

    static func style(for kind: OutputLine.Kind, theme: Theme) -> Style {
        switch kind {
        case .error: return theme.style("error")
        case .warning: return theme.style("warning")
        case .change: return theme.style("accent")
        case .info: return theme.style("text.dim")
        case .progress, .result, .table: return theme.style("text")
        }
    }

    /// The prompt and the line being edited, scrolled horizontally to keep the cursor visible.
    static func renderInput(_ input: InputLine, into buffer: inout Buffer, area: Rect, context: RenderContext) -> (x: Int, y: Int)? {
        guard area.width > 2, area.height > 0 else { return nil }
        let promptWidth = min(input.prompt.count, area.width / 2)
        _ = buffer.write(String(input.prompt.prefix(promptWidth)), x: area.x, y: area.y,
                         style: context.theme.style("repl.prompt"), maxWidth: promptWidth)
        let room = area.width - promptWidth - 1
        let start = max(0, input.cursor - room)
        let visible = String(Array(input.text).dropFirst(start).prefix(room + 1))
        _ = buffer.write(visible, x: area.x + promptWidth, y: area.y, style: context.theme.style("repl.input"),
                         maxWidth: area.width - promptWidth)
        return (area.x + promptWidth + input.cursor - start, area.y)
    }
}
