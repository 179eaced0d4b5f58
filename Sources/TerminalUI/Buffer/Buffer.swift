/// A rectangle of cells that widgets draw into: the screen as a value.
///
/// Coordinates are columns (`x`) and rows (`y`) from the top-left corner (0, 0). Reads outside
/// the buffer return a blank cell and writes outside it are ignored, so widgets may overdraw
/// their edges safely. A backend compares two frames with ``changes(from:)`` and redraws only
/// what changed; tests compare ``textDump()`` with expected text.
public struct Buffer: Equatable, Sendable {
    /// Number of columns.
    public let width: Int
    /// Number of rows.
    public let height: Int
    /// The cells, row by row.
    private(set) var cells: [Cell]
    /// Writes outside this rectangle are ignored (see ``withClip(_:_:)``); not part of equality.
    private var clip: Rect

    /// Creates a buffer of `width` × `height` cells, all set to `cell`. Negative sizes count as 0.
    public init(width: Int, height: Int, filledWith cell: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: cell, count: self.width * self.height)
        self.clip = Rect(x: 0, y: 0, width: self.width, height: self.height)
    }

    /// The whole buffer as a rectangle at (0, 0).
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Two buffers are equal when they have the same size and the same cells.
    public static func == (lhs: Buffer, rhs: Buffer) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.cells == rhs.cells
    }

    /// The cell at column `x`, row `y`. Reading outside the buffer gives a blank cell; writing
    /// outside the buffer (or outside the current clip) does nothing.
    public subscript(x: Int, y: Int) -> Cell {
        get {
            guard x >= 0, y >= 0, x < width, y < height else { return .blank }
            return cells[y * width + x]
        }
        set {
            guard clip.contains(x: x, y: y) else { return }
            cells[y * width + x] = newValue
        }
    }

    // MARK: - Drawing

    /// Writes `text` from column `x` on row `y`, one cell per grapheme, patching each cell's
    /// style with `style`.
    ///
    /// Every grapheme counts as one column (wide characters are out of scope); control
    /// characters become spaces. Writing stops after `maxWidth` columns or at the buffer's right
    /// edge. Returns the number of columns the text advanced, so the next piece of text can start
    /// at `x + result`.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        let limit = min(maxWidth ?? Int.max, width - x)
        guard limit > 0, y >= 0, y < height else { return 0 }
        var column = 0
        for character in text {
            if column >= limit { break }
            let cx = x + column
            if clip.contains(x: cx, y: y) {
                let index = y * width + cx
                cells[index].symbol = Cell.symbol(for: character)
                cells[index].style = cells[index].style.patched(with: style)
            }
            column += 1
        }
        return column
    }

    /// Writes styled spans one after another from (`x`, `y`); each span's style is patched over
    /// `style`. Returns the columns advanced, at most `maxWidth`.
    @discardableResult
    public mutating func write(_ spans: [Span], x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        var advanced = 0
        let limit = maxWidth ?? Int.max
        for span in spans where advanced < limit {
            advanced += write(span.text, x: x + advanced, y: y, style: style.patched(with: span.style),
                              maxWidth: limit - advanced)
        }
        return advanced
    }

    /// Sets every cell of `rect` (clipped to the buffer) to `cell`, replacing symbol and style.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let target = rect.intersection(clip)
        for y in target.y..<target.maxY {
            for x in target.x..<target.maxX { cells[y * width + x] = cell }
        }
    }

    /// Patches the style of every cell in `rect` (clipped to the buffer) with `style`, keeping
    /// the symbols.
    public mutating func setStyle(_ rect: Rect, _ style: Style) {
        let target = rect.intersection(clip)
        for y in target.y..<target.maxY {
            for x in target.x..<target.maxX {
                cells[y * width + x].style = cells[y * width + x].style.patched(with: style)
            }
        }
    }

    /// Runs `body` with writes restricted to `rect` (and any clip already in force), then
    /// restores the previous clip. Every widget renders inside such a clip, so none can draw
    /// outside the area it was given.
    public mutating func withClip<Result>(_ rect: Rect, _ body: (inout Buffer) throws -> Result) rethrows -> Result {
        let saved = clip
        clip = saved.intersection(rect)
        defer { clip = saved }
        return try body(&self)
    }
}
