/// A grid of dots over a rectangle of cells, drawn as braille (2×4 dots per cell) or, without
/// braille, as `' . :` (1×2 dots per cell).
///
/// Each cell has one style: the last dot set in a cell decides its colour ("last drawn wins").
/// Dot (0, 0) is the top-left; y grows downwards.
struct DotCanvas {
    let columns: Int
    let rows: Int
    let braille: Bool
    private var bits: [UInt8]
    private var styles: [Style]

    init(columns: Int, rows: Int, braille: Bool) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.braille = braille
        bits = Array(repeating: 0, count: self.columns * self.rows)
        styles = Array(repeating: .plain, count: self.columns * self.rows)
    }

    /// Dots per cell across and down.
    var dotsAcross: Int { braille ? 2 : 1 }
    var dotsDown: Int { braille ? 4 : 2 }
    /// The size of the grid in dots.
    var width: Int { columns * dotsAcross }
    var height: Int { rows * dotsDown }

    /// Braille dot bits by [row within cell][column within cell] (Unicode's dot numbering).
    private static let brailleBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]

    /// Sets one dot; dots outside the grid are ignored.
    mutating func set(x: Int, y: Int, style: Style) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let cell = (y / dotsDown) * columns + x / dotsAcross
        bits[cell] |= braille ? Self.brailleBits[y % 4][x % 2] : (y % 2 == 0 ? 1 : 2)
        styles[cell] = style
    }

    /// Whether a dot is set (for tests and hit checks).
    func isSet(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < width, y < height else { return false }
        let cell = (y / dotsDown) * columns + x / dotsAcross
        let bit = braille ? Self.brailleBits[y % 4][x % 2] : (y % 2 == 0 ? 1 : 2)
        return bits[cell] & bit != 0
    }

    /// Draws a straight line of dots between two points in dot coordinates (fractions allowed),
    /// clipped to the grid first so that far-away points cost nothing.
    mutating func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), style: Style) {
        guard let (a, b) = clip(start, end) else { return }
        var x0 = Int(a.x.rounded()), y0 = Int(a.y.rounded())
        let x1 = Int(b.x.rounded()), y1 = Int(b.y.rounded())
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {  // Bresenham
            set(x: x0, y: y0, style: style)
            if x0 == x1 && y0 == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x0 += sx }
            if doubled <= dx { error += dx; y0 += sy }
        }
    }

    /// Liang–Barsky clipping of a segment to the grid [0, width-1] × [0, height-1].
    private func clip(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double))
        -> ((x: Double, y: Double), (x: Double, y: Double))? {
        guard width > 0, height > 0, a.x.isFinite, a.y.isFinite, b.x.isFinite, b.y.isFinite else { return nil }
        let dx = b.x - a.x, dy = b.y - a.y
        var t0 = 0.0, t1 = 1.0
        let maxX = Double(width - 1), maxY = Double(height - 1)
        for (p, q) in [(-dx, a.x), (dx, maxX - a.x), (-dy, a.y), (dy, maxY - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let t = q / p
                if p < 0 { t0 = max(t0, t) } else { t1 = min(t1, t) }
                if t0 > t1 { return nil }
            }
        }
        return ((a.x + t0 * dx, a.y + t0 * dy), (a.x + t1 * dx, a.y + t1 * dy))
    }

    /// Writes every cell that has a dot into `buffer` with its top-left cell at (`x`, `y`).
    func draw(into buffer: inout Buffer, x originX: Int, y originY: Int, glyphs: Glyphs) {
        for row in 0..<rows {
            for column in 0..<columns {
                let value = bits[row * columns + column]
                guard value != 0 else { continue }
                let symbol: String
                if braille {
                    symbol = String(Character(Unicode.Scalar(0x2800 + UInt32(value))!))
                } else {
                    symbol = value == 1 ? glyphs.dotTop : (value == 2 ? glyphs.dotBottom : glyphs.dotBoth)
                }
                buffer.write(symbol, x: originX + column, y: originY + row, style: styles[row * columns + column])
            }
        }
    }
}
