import TerminalUI

/// A lesson's Markdown as the lesson pane shows it: headings without their `#`s in the accent
/// style, `**bold**` bold, `*emphasis*` and `_emphasis_` underlined, `` `code` `` in the REPL's
/// input style, `[text](link)` as its text, list items with a bullet. Everything else is as
/// written (tables and indented code keep their lines).
enum LessonMarkdown {
    static func spans(_ line: String, theme: Theme, glyphs: Glyphs) -> [Span] {
        let text = theme.style("text")
        if line.hasPrefix("#") {
            let heading = line.drop { $0 == "#" }.trimmingPrefix(" ")
            return inline(String(heading), base: theme.style("accent").patched(with: Style(bold: true)), theme: theme)
        }
        if line.hasPrefix("    ") { return [Span(line, theme.style("repl.input"))] }
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
            let indent = String(repeating: " ", count: line.count - trimmed.count)
            let bullet = glyphs.usesBraille ? "• " : "- "
            return [Span(indent + bullet, text)] + inline(String(trimmed.dropFirst(2)), base: text, theme: theme)
        }
        return inline(line, base: text, theme: theme)
    }

    /// Inline markup: code spans first (nothing inside them is markup), then bold, emphasis
    /// and links. An unmatched marker is kept as text.
    static func inline(_ line: String, base: Style, theme: Theme) -> [Span] {
        var spans: [Span] = []
        var plain = ""
        var bold = false, emphasis = false
        var style: Style {
            var s = base
            if bold { s = s.patched(with: Style(bold: true)) }
            if emphasis { s = s.patched(with: Style(underline: true)) }
            return s
        }
        func flush() {
            if !plain.isEmpty { spans.append(Span(plain, style)) }
            plain = ""
        }
        let characters = Array(line)
        var i = 0
        func closes(_ marker: String, from start: Int) -> Bool {
            let m = Array(marker)
            var j = start
            while j + m.count <= characters.count {
                if Array(characters[j..<(j + m.count)]) == m { return true }
                j += 1
            }
            return false
        }
        while i < characters.count {
            let c = characters[i]
            if c == "`", let end = characters[(i + 1)...].firstIndex(of: "`") {
                flush()
                spans.append(Span(String(characters[(i + 1)..<end]), theme.style("repl.input")))
                i = end + 1
            } else if c == "*", i + 1 < characters.count, characters[i + 1] == "*", bold || closes("**", from: i + 2) {
                flush(); bold.toggle(); i += 2
            } else if (c == "*" || c == "_"), emphasis || (closes(String(c), from: i + 1) && i + 1 < characters.count
                                                             && characters[i + 1] != " " && (i == 0 || !characters[i - 1].isLetter)) {
                flush(); emphasis.toggle(); i += 1
            } else if c == "[", let close = characters[(i + 1)...].firstIndex(of: "]"), close + 1 < characters.count,
                      characters[close + 1] == "(", let end = characters[(close + 1)...].firstIndex(of: ")") {
                plain += String(characters[(i + 1)..<close])
                i = end + 1
            } else {
                plain.append(c)
                i += 1
            }
        }
        flush()
        return spans
    }
}
