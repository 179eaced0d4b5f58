// MARK: - Theme file format

extension Theme {
    /// Parses a theme file; keys it does not set keep the built-in default's style.
    ///
    /// The format, one setting per line (`#` starts a comment, blank lines are ignored):
    ///
    ///     pane.border = fg=240
    ///     pane.title  = fg=75 bold
    ///     status.bar  = fg=252 bg=236
    ///     heat.ramp   = 25,24,60,237,95,130,166     # or: none
    ///
    /// A style value is a list of `fg=COLOUR`, `bg=COLOUR`, `bold`, `dim`, `reverse`,
    /// `underline` and `plain` (nothing); a colour is `default`, a basic name (`black`, `red`,
    /// `green`, `yellow`, `blue`, `magenta`, `cyan`, `white`) or a palette index 0–255.
    /// Unknown keys, repeated keys and malformed values are errors that name
    /// `file:line:column` and what was expected.
    public static func parse(_ text: String, name: String, file: String) throws(ThemeError) -> Theme {
        try parse(text, name: name, file: file, base: Theme.fallbackTheme)
    }

    /// Parses over `base` (nil: keys the file does not set stay unset).
    static func parse(_ text: String, name: String, file: String, base: Theme?) throws(ThemeError) -> Theme {
        var styles = base?.styles ?? [:]
        var ramp = base?.rampColors ?? []
        var seen: [String: Int] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, line) in lines.enumerated() {
            let reader = LineReader(file: file, line: offset + 1, characters: Array(line))
            guard let (key, keyColumn, valueColumn) = try reader.keyAndValueColumn() else { continue }
            guard Theme.keys.contains(key) else {
                throw reader.error(at: keyColumn, "unknown key '\(key)'" + Theme.suggestion(for: key))
            }
            if let first = seen[key] {
                throw reader.error(at: keyColumn, "duplicate key '\(key)' (first set on line \(first))")
            }
            seen[key] = offset + 1
            if key == Theme.rampKey {
                ramp = try reader.ramp(from: valueColumn)
            } else {
                styles[key] = try reader.style(from: valueColumn)
            }
        }
        return Theme(name: name, styles: styles, rampColors: ramp)
    }

    /// `"; did you mean 'x'?"` for the nearest known key, or a hint to the documented list.
    static func suggestion(for key: String) -> String {
        // Bounded: a key of thousands of characters (a corrupt file) would cost seconds.
        let typed = Array(key)
        let scored = typed.count > 64 ? [] : Theme.keys
            .filter { abs($0.count - typed.count) <= 3 }
            .map { ($0, editDistance(typed, Array($0))) }
        if let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 3 {
            return "; did you mean '\(best.0)'?"
        }
        return "; the keys are listed at the top of Themes/default.theme"
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1]
            for (j, cb) in b.enumerated() {
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// One line of a theme file, split into words that remember their 1-based column.
private struct LineReader {
    typealias Word = (text: String, column: Int)

    let file: String
    let line: Int
    let characters: [Character]

    func error(at column: Int, _ message: String) -> ThemeError {
        ThemeError(file: file, line: line, column: column, message: message)
    }

    /// The characters before any comment.
    private var content: [Character] { Array(characters.prefix { $0 != "#" }) }

    /// The key, its column and the column where the value starts (just after `=`); nil for
    /// blank and comment lines.
    func keyAndValueColumn() throws(ThemeError) -> (String, Int, Int)? {
        let content = content
        guard let first = LineReader.words(in: content, from: 0).first else { return nil }
        guard let equals = content.firstIndex(of: "=") else {
            throw error(at: first.column, "expected 'key = value'")
        }
        let keyWords = LineReader.words(in: Array(content[..<equals]), from: 0)
        guard let key = keyWords.first else { throw error(at: equals + 1, "expected a key before '='") }
        if keyWords.count > 1 {
            throw error(at: keyWords[1].column, "expected '=' after the key '\(key.text)'")
        }
        return (key.text, key.column, equals + 2)
    }

    /// A style from words such as `fg=39`, `bg=default`, `bold`, starting at `column`.
    func style(from column: Int) throws(ThemeError) -> Style {
        let words = LineReader.words(in: content, from: column - 1)
        guard !words.isEmpty else {
            throw error(at: column, "expected a style (fg=COLOUR, bg=COLOUR, bold, dim, reverse, underline or plain)")
        }
        var style = Style.plain
        for word in words {
            let lowered = word.text.lowercased()
            switch lowered {
            case "bold": style.bold = true
            case "dim": style.dim = true
            case "reverse": style.reverse = true
            case "underline": style.underline = true
            case "plain": break
            case _ where lowered.hasPrefix("fg=") || lowered.hasPrefix("bg="):
                let colorText = String(word.text.dropFirst(3))
                guard let color = Color(themeValue: colorText) else {
                    throw error(at: word.column + 3, "expected a colour (0–255, default, "
                        + Color.basicNames.joined(separator: " ") + "), got '\(colorText)'")
                }
                if lowered.hasPrefix("fg=") { style.foreground = color } else { style.background = color }
            case "fg", "bg":
                throw error(at: word.column, "expected \(lowered)=COLOUR with no spaces around '='")
            default:
                throw error(at: word.column, "expected fg=COLOUR, bg=COLOUR, bold, dim, reverse, underline or plain, got '\(word.text)'")
            }
        }
        return style
    }

    /// Ramp colours from words such as `17,18, 19` or `none`, starting at `column`.
    func ramp(from column: Int) throws(ThemeError) -> [UInt8] {
        let items = LineReader.words(in: content, from: column - 1, separators: [","])
        if items.count == 1, items[0].text.lowercased() == "none" { return [] }
        guard !items.isEmpty else { throw error(at: column, "expected palette indices like 17,18,19 or none") }
        var colors: [UInt8] = []
        for item in items {
            guard let index = Color(themeValue: item.text)?.index else {
                throw error(at: item.column, "expected a palette index 0–255 or a basic colour name, got '\(item.text)'")
            }
            colors.append(index)
        }
        return colors
    }

    /// Whitespace- (and `separators`-) separated words of `characters[from...]`.
    static func words(in characters: [Character], from start: Int, separators: Set<Character> = []) -> [Word] {
        var words: [Word] = []
        var current = ""
        var column = 0
        for index in start..<max(start, characters.count) {
            let character = characters[index]
            if character.isWhitespace || separators.contains(character) {
                if !current.isEmpty { words.append((current, column)) }
                current = ""
            } else {
                if current.isEmpty { column = index + 1 }
                current.append(character)
            }
        }
        if !current.isEmpty { words.append((current, column)) }
        return words
    }
}
