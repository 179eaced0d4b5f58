/// Writing a session's commands as a clean notebook, for `record FILE`.
extension Notebook {
    /// The Markdown text of a recorded session: a `# title` line, one line of prose, then each
    /// non-empty cell as a ```` ```descent ```` block.
    ///
    /// The text depends only on its inputs (no dates, no paths), so recording the same commands
    /// twice gives the same bytes, and parsing it gives back the same cells. Trailing spaces
    /// are dropped from lines, and a fence longer than any backtick run inside a cell is used.
    public static func recordedText(title: String?, cells: [[String]]) -> String {
        let oneLine = title.map { $0.split(whereSeparator: \.isNewline).joined(separator: " ") }
        let heading = oneLine.map { NotebookReader.trimmed(Substring($0)) } ?? ""
        var out = "# \(heading.isEmpty ? "Recorded session" : heading)\n\n"
        out += "Recorded with Descent. `replay` runs it all; `next` runs it one cell at a time.\n"
        for cell in cells {
            let lines = cell
                .flatMap { $0.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) }
                .map { String($0.reversed().drop { $0 == " " || $0 == "\t" }.reversed()) }
            guard lines.contains(where: { !$0.isEmpty }) else { continue }
            let fence = String(repeating: "`", count: max(3, longestBacktickRun(in: lines) + 1))
            out += "\n\(fence)descent\n"
            for line in lines { out += line + "\n" }
            out += fence + "\n"
        }
        return out
    }

    /// A recorded session as a notebook (see `recordedText(title:cells:)`).
    public static func recorded(title: String?, cells: [[String]],
                                fileName: String = "session.md") -> Notebook {
        Notebook(parsing: recordedText(title: title, cells: cells), fileName: fileName)
    }

    /// A recorded session of commands, each written in canonical form.
    public static func recorded(title: String?, commands cells: [[Command]],
                                fileName: String = "session.md") -> Notebook {
        recorded(title: title, cells: cells.map { $0.map(canonicalText) }, fileName: fileName)
    }

    /// The longest run of backticks anywhere in `lines`, so the fence can be longer.
    private static func longestBacktickRun(in lines: [String]) -> Int {
        var longest = 0
        for line in lines {
            var run = 0
            for c in line {
                run = c == "`" ? run + 1 : 0
                longest = max(longest, run)
            }
        }
        return longest
    }
}
