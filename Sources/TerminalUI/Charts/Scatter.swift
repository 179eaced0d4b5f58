/// Points coloured by class: a braille scatter of 2-D data, with axes.
///
/// Each point sets one braille dot in the style of its class (`class.0` … `class.9` of the
/// theme). A cell shows one colour, so when points of two classes share a cell the point drawn
/// last (later in ``points``) colours it. Without colour or braille (the `mono` theme, an ASCII
/// locale) each point instead puts its class mark (``Glyphs/classMarks``: `● ○ ▲ …` or
/// `o x + …`) in its cell, so classes stay apart; the last point in a cell wins there too.
public struct Scatter: Widget {
    /// How points are drawn.
    public enum Marks: Equatable, Sendable {
        /// Braille dots when the theme has colour and the glyphs braille; class marks otherwise.
        case auto
        /// Braille (or `' . :`) dots coloured by class.
        case dots
        /// One class mark per cell.
        case classMarks
    }

    /// The points, drawn in order (later ones win shared cells).
    public var points: [ScatterPoint]
    /// The x range shown; nil fits the data with ``padding``.
    public var xRange: ClosedRange<Double>?
    /// The y range shown; nil fits the data with ``padding``.
    public var yRange: ClosedRange<Double>?
    /// The fraction of the data's extent added on each side of automatic ranges.
    public var padding: Double
    /// Whether to draw axes and labels (when there is room).
    public var showsAxes: Bool
    /// Dots or class marks.
    public var marks: Marks

    /// Creates a scatter.
    public init(points: [ScatterPoint], xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                padding: Double = 0.05, showsAxes: Bool = true, marks: Marks = .auto) {
        self.points = points
        self.xRange = xRange
        self.yRange = yRange
        self.padding = padding
        self.showsAxes = showsAxes
        self.marks = marks
    }

    /// The ranges shown: the given ones, or the finite points' extent widened by ``padding``.
    public func effectiveRanges() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        func padded(_ values: [Double]) -> ClosedRange<Double> {
            guard let low = values.min(), let high = values.max() else { return 0...1 }
            let (lo, hi) = ChartFrame.widened(low, high)
            let pad = (hi - lo) * max(0, padding.isFinite ? padding : 0)
            return (lo - pad)...(hi + pad)
        }
        return (xRange ?? padded(finite.map(\.x)), yRange ?? padded(finite.map(\.y)))
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty else { return }
        let useDots = switch marks {
        case .dots: true
        case .classMarks: false
        case .auto: context.glyphs.usesBraille && context.theme.usesColor
        }
        let ranges = effectiveRanges()
        let frame = ChartFrame(area: area, xRange: ranges.x, yRange: ranges.y, yScale: .linear,
                               showsAxes: showsAxes, braille: useDots && context.glyphs.usesBraille)
        guard !frame.plot.isEmpty else { return }
        buffer.withClip(area) { buffer in
            frame.drawAxes(into: &buffer, context: context)
            if useDots {
                var canvas = frame.makeCanvas()
                for point in points where point.x.isFinite {
                    guard let y = frame.dotY(point.y) else { continue }
                    canvas.set(x: Int(frame.dotX(point.x).rounded()), y: Int(y.rounded()),
                               style: context.theme.classStyle(point.group))
                }
                canvas.draw(into: &buffer, x: frame.plot.x, y: frame.plot.y, glyphs: context.glyphs)
            } else {
                buffer.withClip(frame.plot) { buffer in
                    for point in points where point.x.isFinite && point.x >= frame.xLow && point.x <= frame.xHigh {
                        guard let row = frame.row(forY: point.y), point.y >= frame.yLow, point.y <= frame.yHigh else { continue }
                        buffer[frame.column(forX: point.x), row] = Cell(context.glyphs.classMark(point.group),
                                                                       style: context.theme.classStyle(point.group))
                    }
                }
            }
        }
    }
}

/// A point of a scatter or a heat map overlay, with the class (group) that picks its colour.
public struct ScatterPoint: Equatable, Hashable, Sendable {
    /// Horizontal position in data units.
    public var x: Double
    /// Vertical position in data units.
    public var y: Double
    /// The class index: colour `class.N` of the theme, mark N of the glyphs (modulo 10).
    public var group: Int

    /// Creates a point.
    public init(x: Double, y: Double, group: Int = 0) {
        self.x = x
        self.y = y
        self.group = group
    }
}
