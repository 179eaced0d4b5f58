import TerminalUI

/// Draws a pane's border and title and returns the inside.
func framePane(_ title: [Span], right: [Span] = [], rightFirst: Bool = false, focused: Bool, into buffer: inout Buffer,
               area: Rect, context: RenderContext) -> Rect {
    var block = Block(titleSpans: title, rightTitle: right, isFocused: focused)
    block.rightFirst = rightFirst
    block.render(into: &buffer, area: area, context: context)
    return block.inner(area)
}

/// A dim hint in the middle of an empty pane ("no run yet: `train` draws the loss here").
func renderHint(_ text: String, into buffer: inout Buffer, area: Rect, context: RenderContext) {
    guard area.height > 0 else { return }
    let top = Rect(x: area.x, y: area.y + max(0, area.height / 2 - 1), width: area.width, height: min(area.height, 3))
    Paragraph(text, style: context.theme.style("text.dim"), wrap: true, alignment: .center)
        .render(into: &buffer, area: top, context: context)
}
