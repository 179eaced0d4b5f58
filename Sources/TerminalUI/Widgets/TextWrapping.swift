/// One grapheme of styled text, the unit line wrapping works on.
struct StyledGrapheme: Equatable {
    var symbol: Character
    var style: Style

    var isSpace: Bool { symbol == " " }
}

/// Greedy word wrapping of styled text.
enum TextWrapping {
    /// The graphemes of a line of spans.
    static func graphemes(of spans: [Span]) -> [StyledGrapheme] {
        spans.flatMap { span in span.text.map { StyledGrapheme(symbol: $0, style: span.style) } }
    }

    /// Breaks `line` into rows of at most `width` columns, at spaces where possible (the space
    /// at a break is dropped, as are spaces that would start a continuation row); words longer
    /// than `width` are cut. An empty line stays one empty row.
    static func wrap(_ line: [StyledGrapheme], width: Int) -> [[StyledGrapheme]] {
        guard width > 0 else { return [] }
        guard line.count > width else { return [line] }
        var rows: [[StyledGrapheme]] = []
        var start = 0
        while start < line.count {
            if !rows.isEmpty {
                while start < line.count, line[start].isSpace { start += 1 }
                if start == line.count { break }
            }
            if line.count - start <= width {
                rows.append(Array(line[start...]))
                break
            }
            // A space at start + width may take the break too: the row is then exactly full.
            if let space = (start + 1...start + width).last(where: { line[$0].isSpace }) {
                var end = space
                while end > start, line[end - 1].isSpace { end -= 1 }
                rows.append(Array(line[start..<end]))
                start = space + 1
            } else {
                rows.append(Array(line[start..<start + width]))
                start += width
            }
        }
        return rows
    }
}
