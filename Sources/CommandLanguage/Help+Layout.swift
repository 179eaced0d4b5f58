/// Two-column layout for help: a head, then wrapped text in a column.
extension Help {
    /// The narrowest text column worth keeping beside the heads: below it (`help show` in the
    /// 46 columns of an 80×24 screen's REPL left 11, a word or two a line for 220 lines) each
    /// text goes under its head instead.
    static let narrowestTextColumn = 24

    /// `head` at `indent`, `text` from `column`, wrapped to `width` with a hanging indent.
    /// A head too wide for the column gets a line of its own; where `width` leaves the column
    /// fewer than `narrowestTextColumn` characters, the text goes under the head, indented
    /// four. Lines carry no trailing spaces.
    static func entry(_ head: String, _ text: String, indent: Int, column wanted: Int,
                      width: Int) -> [String] {
        let column = width - wanted < narrowestTextColumn ? min(wanted, indent + 4) : wanted
        let lead = String(repeating: " ", count: indent) + head
        let pad = String(repeating: " ", count: column)
        var lines: [String] = []
        var current = lead + String(repeating: " ", count: max(0, column - lead.count))
        if lead.count + 1 > column {
            lines.append(lead)
            current = pad
        }
        var isFresh = true
        for word in unbreakableWords(text) {
            if !isFresh, current.count + 1 + word.count > width {
                lines.append(current)
                current = pad
                isFresh = true
            }
            current += (isFresh ? "" : " ") + word
            isFresh = false
        }
        lines.append(current)
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    /// The words of `text`, keeping an interval such as `[0, 1)` or `(0, 1]` in one piece.
    static func unbreakableWords(_ text: String) -> [String] {
        var words: [String] = []
        for word in text.split(separator: " ").map(String.init) {
            if let last = words.last, last.first == "[" || last.first == "(", last.hasSuffix(",") {
                words[words.count - 1] += " " + word
            } else {
                words.append(word)
            }
        }
        return words
    }
}
