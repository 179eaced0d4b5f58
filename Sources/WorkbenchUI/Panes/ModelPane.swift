import TerminalUI
import WorkbenchCore
import NeuralEngine

/// What the model pane lists: Keras-like rows with live weight and gradient norms.
struct ModelPaneContent: Equatable {
    var rows: [[String]]
    var total: Int
}

/// The layer summary: layer, output shape, parameters, ‖W‖ and ‖∇W‖ (live from the snapshot).
@MainActor
struct ModelPane {
    let app: WorkbenchApp

    func render(into buffer: inout Buffer, area: Rect, focused: Bool) {
        let context = app.context
        let theme = context.theme
        guard let content = app.modelContent() else {
            let inner = framePane([Span("Model", theme.style("pane.title"))], focused: focused, into: &buffer, area: area, context: context)
            renderHint(app.session.display.modelSpec == nil ? "no model yet: try `model mlp 8,8 act=tanh`"
                                                    : "the model is built when there is data: `data spiral`",
                       into: &buffer, area: inner, context: context)
            return
        }
        let title = [Span("Model ", theme.style("pane.title")), Span(app.session.display.modelSpec?.description ?? "", theme.style("text.dim"))]
        let right = [Span("\(content.total) params", theme.style("text.dim"))]
        let inner = framePane(title, right: right, rightFirst: true, focused: focused, into: &buffer, area: area, context: context)
        // Narrow panes drop the row number and the output shape before truncating labels.
        let narrow = inner.width < 56
        let keep = narrow ? [1, 3, 4, 5] : [0, 1, 2, 3, 4, 5]
        let header = ["#", "layer", "output", "params", "|W|", "|∇W|"]
        let alignments: [Alignment] = [.right, .left, .left, .right, .right, .right]
        Table(header: keep.map { header[$0] }, rows: content.rows.map { row in keep.map { row[$0] } },
              alignments: keep.map { alignments[$0] }, scroll: app.scroll[.model, default: 0])
            .render(into: &buffer, area: inner, context: context)
    }
}

extension WorkbenchApp {
    /// The summary to list: the live snapshot's, else the session's (cached between commands).
    func modelContent() -> ModelPaneContent? {
        let summary: ModelSummary
        if let live = snapshot?.summary, session.isBusy || session.display.currentRun != nil {
            summary = live
        } else {
            let key = "\(session.display.data?.spec.description ?? "")|\(session.display.modelSpec?.description ?? "")|\(session.display.records.count)"
            if let cached = summaryCache, cached.key == key { return cached.lines }
            guard session.display.data != nil, session.display.modelSpec != nil, let s = try? session.display.currentSummary() else { return nil }
            summary = s
            let content = Self.content(of: summary)
            summaryCache = (key, content)
            return content
        }
        return Self.content(of: summary)
    }

    static func content(of summary: ModelSummary) -> ModelPaneContent {
        ModelPaneContent(rows: summary.rows.enumerated().map { i, r in
            ["\(i + 1)", r.label, r.outputShape.replacingOccurrences(of: "None, ", with: ""), "\(r.parameters)",
             r.parameters == 0 ? "" : shortNumber(Double(r.weightNorm)),
             r.parameters == 0 ? "" : shortNumber(Double(r.gradientNorm))]
        }, total: summary.totalParameters)
    }
}
