import Foundation
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
        // While a cell runs, its own text stays: the next part reads the results it is making.
        let running = app.runner.runningCell
        let shown = Self.shownPart(app.runner) ?? next
        let title = [Span("Lesson ", theme.style("pane.title")), Span(notebook.title ?? notebook.fileName, theme.style("text.dim"))]
        let (prose, cell) = Self.part(of: notebook, before: shown)
        let paragraphs = Self.reflow(prose).filter { !$0.hasPrefix("# ") }
        // Code (indented four spaces) keeps its lines, as a terminal or a file would run them:
        // a line too long for the pane is cut with a mark, and F4 shows it whole.
        let width = max(area.width - 2, 1)
        let cut = paragraphs.contains { $0.hasPrefix("    ") && $0.count > width } && app.zoomed == nil
        var right = [Span(running.map { "cell \($0 + 1)/\(cells) running" } ?? (next < cells ? "cell \(next + 1)/\(cells) · F8" : "done"),
                          theme.style("text.dim"))]
        if cut { right.insert(Span("F4: whole lines · ", theme.style("accent")), at: 0) }
        let inner = framePane(title, right: right, rightFirst: true, focused: focused, into: &buffer, area: area, context: context)
        var lines: [[Span]] = []
        // What F8 runs comes first, so it is visible however long the prose is.
        if let running, let cell {
            lines.append([Span("Running: ", theme.style("accent")),
                          Span(cell.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: " · "), theme.style("repl.input")),
                          Span(running + 1 < cells ? " (what it shows is discussed next, once it ends)" : "", theme.style("text.dim"))])
        } else if let cell {
            let commands = cell.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            if notebook.cells[shown].kind == .answer {
                let given = commands.filter { !$0.hasPrefix("#") }
                lines.append([Span("Your answer: ", theme.style("accent")),
                              Span("type your commands now (they are your answer); F8 / next goes on"
                                   + (given.isEmpty ? "" : ", running " + given.joined(separator: " · ") + " first"),
                                   theme.style("repl.input"))])
            } else {
                lines.append([Span("F8 / next runs: ", theme.style("accent")),
                              Span(commands.joined(separator: " · "), theme.style("repl.input"))])
            }
        } else {
            // Complete once the last cell's run and checks are done; its last prose says what is next.
            let assignment = !notebook.answerCells.isEmpty
            // The lesson's own last cell, not a command of the learner's typed after it.
            lines.append(app.runner.runningCell == nil ? [Span("Lesson complete.", theme.style("ok"))]
                                              + (assignment ? [Span(" `submit` hands in your answers.", theme.style("accent"))] : [])
                                           : [Span("The last cell is running…", theme.style("accent"))])
        }
        for line in paragraphs {
            if line.hasPrefix("    "), line.count > inner.width, inner.width > 1 {
                lines.append([Span(String(line.prefix(inner.width - 1)), theme.style("repl.input")),
                              Span(context.glyphs.ellipsis, theme.style("accent"))])
                continue
            }
            lines.append(LessonMarkdown.spans(line, theme: theme, glyphs: context.glyphs))
        }
        while lines.count > 1 && lines[1].allSatisfy({ $0.text.isEmpty }) { lines.remove(at: 1) }
        let paragraph = Paragraph(lines: lines, wrap: true)
        let hidden = paragraph.lineCount(width: inner.width) - inner.height
        let offset = min(app.scroll[.lesson, default: 0], max(hidden, 0))
        Paragraph(lines: lines, wrap: true, scroll: offset).render(into: &buffer, area: inner, context: context)
        // F8 pages through text not yet seen before it runs the next cell.
        app.lessonPaging = (unseen: max(hidden - offset, 0), page: inner.height)
        // A last line or two come with the cell when F8 runs it (`WorkbenchApp.handle`): the cue
        // says "more" only where F8 pages.
        if hidden - offset > 2, inner.height > 0 {
            // Say there is more, on the bottom border, as the learner's cue to scroll.
            // F8 runs a cell only once the text before it is read, and there may be none left.
            // PgDn scrolls the focused pane: this one's once F3 (from the REPL) has focused it.
            let pageDown = focused ? "PgDn" : app.focus == .repl ? "F3 PgDn" : "F2 PgDn"
            let full = " more: F8 (then it runs the cell) or \(pageDown) "
            let hint = next < cells && running == nil && full.count <= inner.width ? full : " more: F8 or \(pageDown) "
            _ = buffer.write(hint, x: inner.x + max(inner.width - hint.count, 0), y: inner.y + inner.height,
                             style: theme.style("text.dim"), maxWidth: inner.width)
        }
    }

    /// Which part of the lesson the pane shows: the running cell's while it runs, else the next.
    static func shownPart(_ runner: ScriptRunner) -> Int? {
        runner.lesson.map { runner.runningCell ?? $0.next }
    }

    /// Joins the lines of each Markdown paragraph into one (the pane wraps them to its width);
    /// headings, list items, indented code and blank lines stay lines of their own.
    static func reflow(_ lines: [String]) -> [String] {
        var out: [String] = []
        var joinable = false
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let standalone = trimmed.isEmpty || line.hasPrefix("#") || line.hasPrefix("    ")
                || trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("|")
            if joinable && !standalone && !out.isEmpty {
                out[out.count - 1] += " " + trimmed
            } else {
                out.append(standalone ? line : trimmed)
            }
            joinable = !standalone || trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ")
        }
        return out
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
