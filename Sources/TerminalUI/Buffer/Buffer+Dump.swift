// MARK: - Text dumps and frame differences

extension Buffer {
    /// The symbols of the buffer as text: one line per row joined by `"\n"`, trailing spaces
    /// of each row removed. The format of widget and screen snapshot tests.
    public func textDump() -> String {
        (0..<height).map { y in
            trimmingTrailingSpaces((0..<width).map { x in cells[y * width + x].symbol }.joined())
        }.joined(separator: "\n")
    }

    /// The styles of the buffer as text: each cell becomes the character `legend` gives its
    /// style, `" "` for a plain cell missing from the legend and `unknown` for any other style.
    /// Rows are joined by `"\n"` with trailing spaces removed, like ``textDump()``.
    public func styleDump(legend: [Style: Character], unknown: Character = "?") -> String {
        (0..<height).map { y in
            let row = (0..<width).map { x -> Character in
                let style = cells[y * width + x].style
                if let mark = legend[style] { return mark }
                return style == .plain ? " " : unknown
            }
            return trimmingTrailingSpaces(String(row))
        }.joined(separator: "\n")
    }

    /// The cells a backend must redraw to turn `old` into this buffer, in row-major order:
    /// those that differ, or every cell when the sizes differ (after a resize the terminal
    /// must be redrawn whole).
    public func changes(from old: Buffer) -> [(x: Int, y: Int, cell: Cell)] {
        var result: [(x: Int, y: Int, cell: Cell)] = []
        let sameSize = old.width == width && old.height == height
        for y in 0..<height {
            for x in 0..<width {
                let index = y * width + x
                if !sameSize || old.cells[index] != cells[index] {
                    result.append((x: x, y: y, cell: cells[index]))
                }
            }
        }
        return result
    }

    private func trimmingTrailingSpaces(_ line: String) -> String {
        var text = Substring(line)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
