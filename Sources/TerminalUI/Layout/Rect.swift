/// A rectangle of cells: the area a widget or pane draws into.
///
/// `x`, `y` are the top-left cell; `maxX` and `maxY` are one past the right and bottom edges.
/// Sizes are never negative: the initialiser and every helper clamp them at 0.
public struct Rect: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Number of columns.
    public var width: Int
    /// Number of rows.
    public var height: Int

    /// Creates a rectangle; negative sizes become 0.
    public init(x: Int = 0, y: Int = 0, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// One past the rightmost column.
    public var maxX: Int { x + width }
    /// One past the bottom row.
    public var maxY: Int { y + height }
    /// Whether the rectangle holds no cell at all.
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// `"x,y width×height"`, for test messages.
    public var description: String { "\(x),\(y) \(width)×\(height)" }

    /// Whether the cell at (`x`, `y`) lies inside the rectangle.
    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// Whether `other` lies entirely inside this rectangle (an empty rectangle always does).
    public func contains(_ other: Rect) -> Bool {
        other.isEmpty || (other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY)
    }

    /// The rectangle shrunk by `margin` cells on every side (empty when too small).
    public func inset(by margin: Int) -> Rect {
        inset(top: margin, left: margin, bottom: margin, right: margin)
    }

    /// The rectangle shrunk by the given number of cells on each side (empty when too small).
    public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
        let newWidth = max(0, width - left - right)
        let newHeight = max(0, height - top - bottom)
        return Rect(x: x + min(left, width), y: y + min(top, height), width: newWidth, height: newHeight)
    }

    /// The cells both rectangles share; an empty rectangle when they do not overlap.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(maxX, other.maxX), bottom = min(maxY, other.maxY)
        guard right > left, bottom > top else { return Rect(x: left, y: top, width: 0, height: 0) }
        return Rect(x: left, y: top, width: right - left, height: bottom - top)
    }

    /// The top `rows` rows (clamped to the rectangle).
    public func top(_ rows: Int) -> Rect {
        Rect(x: x, y: y, width: width, height: min(max(0, rows), height))
    }

    /// The bottom `rows` rows (clamped to the rectangle).
    public func bottom(_ rows: Int) -> Rect {
        let count = min(max(0, rows), height)
        return Rect(x: x, y: maxY - count, width: width, height: count)
    }
}
