/// Splits Markdown into prose and `descent` cells, following CommonMark's fence rules: a fence
/// is three or more backticks or tildes indented at most three spaces; it closes at a line of
/// the same character, at least as long, with nothing after it but spaces; an unclosed fence
/// runs to the end of the file.
struct NotebookReader {
    /// A line with its ending kept apart, so nothing is lost.
    struct RawLine {
        var text: String
        var ending: String
        var whole: String { text + ending }
    }

    struct Fence {
        var character: Character
        var length: Int
        var info: String
    }

    let lines: [RawLine]
    let file: String

    init(text: String, file: String) {
        self.lines = NotebookReader.split(text)
        self.file = file
    }

    func segments() -> [Notebook.Segment] {
        var segments: [Notebook.Segment] = []
        var prose = ""
        var i = 0
        while i < lines.count {
            guard let fence = NotebookReader.openingFence(lines[i].text) else {
                prose += lines[i].whole
                i += 1
                continue
            }
            var j = i + 1
            while j < lines.count, !NotebookReader.closes(lines[j].text, fence) { j += 1 }
            let isCell = fence.info.split(whereSeparator: \.isWhitespace).first == "descent"
            if isCell {
                if !prose.isEmpty { segments.append(.prose(prose)) }
                prose = ""
                let body = lines[(i + 1)..<j].enumerated().map { offset, line in
                    Notebook.Line(number: i + 2 + offset, text: line.text, ending: line.ending)
                }
                segments.append(.cell(Notebook.Cell(
                    openingFence: lines[i].whole, lines: body,
                    closingFence: j < lines.count ? lines[j].whole : nil, file: file)))
            } else {
                for line in lines[i..<min(j + 1, lines.count)] { prose += line.whole }
            }
            i = j + 1
        }
        if !prose.isEmpty { segments.append(.prose(prose)) }
        return segments
    }

    // MARK: - Fences

    static func openingFence(_ line: String) -> Fence? {
        let (indent, rest) = leadingSpaces(line)
        guard indent <= 3, let c = rest.first, c == "`" || c == "~" else { return nil }
        let length = rest.prefix { $0 == c }.count
        guard length >= 3 else { return nil }
        let info = trimmed(rest.dropFirst(length))
        if c == "`", info.contains("`") { return nil }
        return Fence(character: c, length: length, info: info)
    }

    static func closes(_ line: String, _ fence: Fence) -> Bool {
        let (indent, rest) = leadingSpaces(line)
        guard indent <= 3 else { return false }
        let length = rest.prefix { $0 == fence.character }.count
        return length >= fence.length && rest.dropFirst(length).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(text.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }

    private static func leadingSpaces(_ line: String) -> (Int, Substring) {
        let rest = line.drop { $0 == " " }
        return (line.count - rest.count, rest)
    }

    // MARK: - Lines

    /// Lines split after each `\n`, working on Unicode scalars so `\r\n` stays two characters
    /// of ending rather than one grapheme.
    static func split(_ text: String) -> [RawLine] {
        var lines: [RawLine] = []
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var index = start
        while index < scalars.endIndex {
            let next = scalars.index(after: index)
            if scalars[index] == "\n" {
                var textEnd = index
                if textEnd > start, scalars[scalars.index(before: textEnd)] == "\r" {
                    textEnd = scalars.index(before: textEnd)
                }
                lines.append(RawLine(text: String(scalars[start..<textEnd]),
                                     ending: String(scalars[textEnd..<next])))
                start = next
            }
            index = next
        }
        if start < scalars.endIndex {
            lines.append(RawLine(text: String(scalars[start...]), ending: ""))
        }
        return lines
    }
}
