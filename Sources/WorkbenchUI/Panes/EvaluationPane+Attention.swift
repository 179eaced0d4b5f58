import TerminalUI
import WorkbenchCore
import NeuralEngine

extension EvaluationPane {
    /// The attention of the layer `show attention` chose, on its validation sample: one map per
    /// head, query positions down, key positions across, the sample's symbols on both axes, the
    /// causal triangle blank. Every head side by side when they fit (two columns a cell, else
    /// one), else the chosen head; when the pane is too low for every row, the last rows (the
    /// answer's positions) are drawn and the caption says so.
    func renderAttention(into buffer: inout Buffer, area: Rect) {
        let session = app.session, theme = app.context.theme
        guard let maps = session.display.attentionMaps, !maps.layers.isEmpty else {
            renderHint(session.display.views.attention.served != nil
                       ? "the attention of what the server writes appears here with its first token"
                       : "`show attention` draws a transformer's attention here once it has made an update",
                       into: &buffer, area: area, context: app.context)
            return
        }
        let view = session.display.views.attention
        let layer = maps.layers[min(view.layer, maps.layers.count - 1)]
        let symbols = session.display.attentionSymbols(maps)
        func map(_ head: Int, cellWidth: Int) -> MatrixMap {
            let values = (0..<layer.length).map { t in
                (0..<layer.length).map { s in
                    layer.causal && s > t ? Double.nan : Double(layer.weight(head: head, query: t, key: s))
                }
            }
            return MatrixMap(values: values, rowLabels: symbols, columnLabels: symbols, title: "h\(head + 1)", cellWidth: cellWidth)
        }
        let chosen = view.head.map { [$0] } ?? Array(0..<layer.heads)
        let gap = 2
        var layouts = [(chosen, 2), (chosen, 1)]
        if chosen.count > 1 { layouts += [([0], 2), ([0], 1)] }
        guard let (heads, cellWidth) = layouts.first(where: { heads, cw in
            heads.map { map($0, cellWidth: cw).width }.reduce(0, +) + gap * (heads.count - 1) <= area.width
        }) else {
            renderHint("too narrow for \(layer.length) positions: F4 zooms", into: &buffer, area: area, context: app.context)
            return
        }
        let mapHeight = max(area.height - 1, 2)
        var x = area.x, first = 0
        for head in heads {
            let m = map(head, cellWidth: cellWidth)
            m.render(into: &buffer, area: Rect(x: x, y: area.y, width: m.width, height: mapHeight), context: app.context)
            first = m.firstRow(height: mapHeight)
            x += m.width + gap
        }
        guard area.height > mapHeight || area.height > layer.length + 1 else { return }
        let headsShown = heads.count == layer.heads && layer.heads > 1 ? "heads 1–\(layer.heads)"
            : "head \(heads[0] + 1) of \(layer.heads)"
        var spans = [Span("\(layer.name) \(headsShown) · \(session.display.attentionSource(maps)) · ", theme.style("text.dim")),
                     Span("0", theme.style("heat.low")), Span("…", theme.style("text.dim")), Span("1", theme.style("heat.high"))]
        spans.append(Span(first > 0 ? " · rows \(first + 1)–\(layer.length) of \(layer.length), F4 zooms" : " · query ↓ key → · F10 next",
                          theme.style("text.dim")))
        buffer.write(spans.truncated(to: area.width, ellipsis: app.context.glyphs.ellipsis),
                     x: area.x, y: area.y + area.height - 1, maxWidth: area.width)
    }
}
