import Foundation

/// A function of two variables drawn as contour bands, with paths over it: a loss surface with
/// the ways optimizers went down it.
///
///     b 1.0┤▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀▀
///          │▀▀▀▀▀•••▀▀▀▀▀▀▀▀▀▀       bands of equal log height, darkest at the bottom;
///       0.0┤▀▀▀▀▀▀▀▀•●▀▀▀×▀▀▀▀       • the path, ● where it is now, × the minimum
///          └┬────────┬────────┬
///         -1.0       0       1.0  w
///
/// Values are banded on a log scale above the lowest, t = ln(1 + (v − min)/s) / ln(1 + (max − min)/s)
/// with s = (max − min)/100, then cut into `bands` steps, so the nested rings of a bowl show as
/// rings whatever its depth. With colour each cell is a half block showing two grid rows in the
/// theme's ramp; without colour each band is a shade character. Paths are polylines in their
/// own style, marked with ``Glyphs/point`` and ending in ``Glyphs/currentPoint``; the minimum is
/// ``Glyphs/times``. `values[0]` is the top row (highest y). Non-finite values are left blank.
public struct ContourPlot: Widget {
    /// One path over the surface, in drawing order.
    public struct Path: Sendable {
        public var points: [(x: Double, y: Double)]
        public var style: Style

        public init(_ points: [(x: Double, y: Double)], style: Style) {
            self.points = points
            self.style = style
        }
    }

    public var values: [[Double]]
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    public var paths: [Path]
    public var minimum: (x: Double, y: Double)?
    public var bands: Int

    public init(values: [[Double]], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, paths: [Path] = [],
                minimum: (x: Double, y: Double)? = nil, bands: Int = 8) {
        self.values = values
        self.xRange = xRange
        self.yRange = yRange
        self.paths = paths
        self.minimum = minimum
        self.bands = max(2, bands)
    }

    /// The band (0 = lowest) of every grid value, NaN where it is not finite.
    func levels() -> [[Double]] {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), high > low else {
            return values.map { $0.map { $0.isFinite ? 0 : .nan } }
        }
        let scale = (high - low) / 100
        let top = log1p((high - low) / scale)
        return values.map { row in
            row.map { v in
                guard v.isFinite else { return .nan }
                let t = log1p((v - low) / scale) / top
                return min(Double(bands - 1), floor(t * Double(bands))) / Double(bands - 1)
            }
        }
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty, !values.isEmpty else { return }
        let frame = ChartFrame(area: area, xRange: xRange, yRange: yRange, yScale: .linear,
                               showsAxes: true, braille: false)
        let plot = frame.plot
        guard !plot.isEmpty else { return }
        let theme = context.theme, glyphs = context.glyphs
        buffer.withClip(area) { buffer in
            frame.drawAxes(into: &buffer, context: context)
            HeatMap(values: levels()).render(into: &buffer, area: plot, context: context)
            // The background under a mark keeps its band's colour.
            func mark(_ text: String, cell: (x: Int, y: Int), style: Style) {
                guard cell.x >= plot.x, cell.x < plot.maxX, cell.y >= plot.y, cell.y < plot.maxY else { return }
                let under = buffer[cell.x, cell.y].style
                let background = under.background == .terminalDefault ? under.foreground : under.background
                buffer[cell.x, cell.y] = Cell(text, style: theme.usesColor ? style.patched(with: Style(background: background)) : style)
            }
            func cell(_ point: (x: Double, y: Double)) -> (x: Int, y: Int)? {
                guard point.x.isFinite, point.y.isFinite, let row = frame.row(forY: point.y) else { return nil }
                return (frame.column(forX: point.x), row)
            }
            for path in paths {
                var previous: (x: Int, y: Int)?
                for point in path.points {
                    guard let here = cell(point) else { previous = nil; continue }
                    for step in Self.cells(from: previous ?? here, to: here) { mark(glyphs.point, cell: step, style: path.style) }
                    previous = here
                }
            }
            if let minimum, let here = cell(minimum) { mark(glyphs.times, cell: here, style: theme.style("accent")) }
            for path in paths {
                if let last = path.points.last.flatMap(cell) { mark(glyphs.currentPoint, cell: last, style: path.style) }
            }
        }
    }

    /// The cells of a straight line between two cells, both ends included (Bresenham).
    static func cells(from a: (x: Int, y: Int), to b: (x: Int, y: Int)) -> [(x: Int, y: Int)] {
        var out: [(x: Int, y: Int)] = []
        var x = a.x, y = a.y
        let dx = abs(b.x - x), dy = -abs(b.y - y), sx = x < b.x ? 1 : -1, sy = y < b.y ? 1 : -1
        var err = dx + dy
        while true {
            out.append((x, y))
            if x == b.x && y == b.y { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
            if out.count > 10_000 { break }
        }
        return out
    }
}
