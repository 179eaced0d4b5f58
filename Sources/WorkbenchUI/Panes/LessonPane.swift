import TerminalUI
import WorkbenchCore
import CommandLanguage

/// The open lesson: the prose before the next cell, then that cell's commands.
@MainActor
struct LessonPane {
    let app: WorkbenchApp

    func render(into buffer: inout Buffer, area: Rect, focused: Bool) {
        let context = app.context, theme = context.theme
        guard let (notebook, next) = app.runner.lesson else { return }
        let cells = notebook.cells.count
        let title = [Span("Lesson ", theme.style("pane.title")), Span(notebook.title ?? notebook.fileName, theme.style("text.dim"))]
        let right = [Span(next < cells ? "cell \(next + 1)/\(cells) · F8" : "done", theme.style("text.dim"))]
        let inner = framePane(title, right: right, focused: focused, into: &buffer, area: area, context: context)
        var lines: [[Span]] = []
        let (prose, cell) = Self.part(of: notebook, before: next)
        for line in prose where !line.hasPrefix("# ") {
            lines.append([Span(line, theme.style("text"))])
        }
        if let cell {
            lines.append([Span("")])
            lines.append([Span("next (F8 or `next`):", theme.style("accent"))])
            for line in cell { lines.append([Span("  " + line, theme.style("repl.input"))]) }
        } else {
            lines.append([Span("")])
            lines.append([Span("Lesson complete. Replay others with `replay Notebooks/…`", theme.style("ok"))])
        }
        while lines.first?.first?.text.isEmpty == true { lines.removeFirst() }
        Paragraph(lines: lines, wrap: true, scroll: app.scroll[.lesson, default: 0])
            .render(into: &buffer, area: inner, context: context)
    }

    /// The prose between cell `index − 1` and cell `index`, and cell `index`'s lines.
    static func part(of notebook: Notebook, before index: Int) -> (prose: [String], cell: [String]?) {
        var seen = 0
        var prose: [String] = []
        for segment in notebook.segments {
            switch segment {
            case .prose(let text):
                if seen == index {
                    prose += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                }
            case .cell(let cell):
                if seen == index { return (prose, cell.lines.map(\.text)) }
                seen += 1
            }
        }
        return (prose, nil)
    }
}
