/// Lines through series of points, drawn with braille dots (2×4 per cell), with axes, nice tick
/// labels and vertical markers.
///
///     0.8┤⡀ ▲lr=.01
///        │⠈⠢⡀  ⡇
///     0.4┤  ⠈⠑⠢⠤⣇⣀⣀⣀⣀
///        └┬──────────┬
///         0         100
///
/// Consecutive points are joined by straight lines (Bresenham on the dot grid); a non-finite
/// point, or a non-positive one on a log axis, breaks the line. Ranges default to the data's
/// extent. Each cell has one colour, so where series cross the one drawn last colours the cell.
/// Markers draw a dotted vertical line in `chart.marker` under the series and their label
/// (`▲lr=.01`) on the top row. Without braille (``Glyphs/ascii``) each cell shows `' . :`.
public struct LineChart: Widget {
    /// One line: points in drawing order and a style (usually a theme's `loss.train` …).
    public struct Series: Sendable {
        /// The points, joined in this order.
        public var points: [(x: Double, y: Double)]
        /// The line's style (its colour, mostly).
        public var style: Style
        /// False draws the points alone, not joined: a dotted series that stays distinct from a
        /// solid one even without colour (e.g. validation loss once per epoch).
        public var connected: Bool

        /// Creates a series from points.
        public init(_ points: [(x: Double, y: Double)], style: Style = .plain, connected: Bool = true) {
            self.points = points
            self.style = style
            self.connected = connected
        }

        /// Creates a series from values at x = 0, 1, 2, ….
        public init(values: [Double], style: Style = .plain) {
            self.init(values.enumerated().map { (x: Double($0.offset), y: $0.element) }, style: style)
        }
    }

    /// A vertical marker at an x position, e.g. where the learning rate changed.
    public struct Marker: Equatable, Sendable {
        /// Where the marker stands on the x axis.
        public var x: Double
        /// Short text after the arrow, e.g. `lr=.01`.
        public var label: String
        /// Overrides the theme's `chart.marker`.
        public var style: Style?

        /// Creates a marker.
        public init(x: Double, label: String, style: Style? = nil) {
            self.x = x
            self.label = label
            self.style = style
        }
    }

    /// The lines, drawn in order (later ones on top).
    public var series: [Series]
    /// The x range shown; nil fits the data.
    public var xRange: ClosedRange<Double>?
    /// The y range shown (data units, positive for a log axis); nil fits the data.
    public var yRange: ClosedRange<Double>?
    /// Linear or logarithmic y axis.
    public var yScale: AxisScale
    /// Linear or logarithmic x axis (a learning-rate sweep).
    public var xScale: AxisScale
    /// Vertical markers (outside the x range they are not drawn).
    public var markers: [Marker]
    /// Whether to draw axes and labels (when there is room).
    public var showsAxes: Bool

    /// Creates a line chart.
    public init(series: [Series], xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil,
                yScale: AxisScale = .linear, xScale: AxisScale = .linear, markers: [Marker] = [], showsAxes: Bool = true) {
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
        self.yScale = yScale
        self.xScale = xScale
        self.markers = markers
        self.showsAxes = showsAxes
    }

    /// The x and y ranges the chart shows: the given ones, or the extent of the points it can
    /// draw (0…1, or 1…10 on a log axis, when there are none).
    public func effectiveRanges() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        let drawable = series.flatMap(\.points).filter { point in
            point.x.isFinite && point.y.isFinite && (yScale == .linear || point.y > 0) && (xScale == .linear || point.x > 0)
        }
        func extent(_ values: [Double], empty: ClosedRange<Double>) -> ClosedRange<Double> {
            guard let low = values.min(), let high = values.max() else { return empty }
            return low...high
        }
        return (xRange ?? extent(drawable.map(\.x), empty: xScale == .log ? 1...10 : 0...1),
                yRange ?? extent(drawable.map(\.y), empty: yScale == .log ? 1...10 : 0...1))
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty else { return }
        let ranges = effectiveRanges()
        let frame = ChartFrame(area: area, xRange: ranges.x, yRange: ranges.y, yScale: yScale,
                               showsAxes: showsAxes, braille: context.glyphs.usesBraille, xScale: xScale)
        guard !frame.plot.isEmpty else { return }
        let markerStyle = context.theme.style("chart.marker")
        var canvas = frame.makeCanvas()
        let visibleMarkers = markers.filter { marker in
            let dot = frame.dotX(marker.x)
            return dot.isFinite && dot >= -0.5 && dot <= Double(frame.plot.width * (context.glyphs.usesBraille ? 2 : 1))
        }
        for marker in visibleMarkers {
            let x = Int(frame.dotX(marker.x).rounded())
            for y in stride(from: 0, to: canvas.height, by: 2) { canvas.set(x: x, y: y, style: marker.style ?? markerStyle) }
        }
        for line in series {
            var previous: (x: Double, y: Double)?
            for point in line.points {
                let x = frame.dotX(point.x)
                guard x.isFinite, let y = frame.dotY(point.y) else { previous = nil; continue }
                let current = (x: x, y: y)
                if line.connected {
                    canvas.line(from: previous ?? current, to: current, style: line.style)
                } else {
                    canvas.set(x: Int(current.x.rounded()), y: Int(current.y.rounded()), style: line.style)
                }
                previous = current
            }
        }
        buffer.withClip(area) { buffer in
            frame.drawAxes(into: &buffer, context: context)
            canvas.draw(into: &buffer, x: frame.plot.x, y: frame.plot.y, glyphs: context.glyphs)
            let placed = Self.placedLabels(visibleMarkers.map { (column: frame.column(forX: $0.x), label: $0.label, style: $0.style) })
            for label in placed {
                buffer.write(context.glyphs.markerArrow + label.label, x: label.column, y: frame.plot.y,
                             style: label.style ?? markerStyle, maxWidth: frame.plot.maxX - label.column)
            }
        }
    }

    /// Marker labels in column order, a label that would start inside the one before it merged
    /// into that one: `lr=1e+05` then `lr=0.05` one column on read `lr=1e+05→0.05`, never a
    /// mix of the two. The repeated `key=` is left out.
    static func placedLabels(_ labels: [(column: Int, label: String, style: Style?)]) -> [(column: Int, label: String, style: Style?)] {
        var placed: [(column: Int, label: String, style: Style?)] = []
        let ordered = labels.enumerated().sorted { ($0.element.column, $0.offset) < ($1.element.column, $1.offset) }.map(\.element)
        for next in ordered {
            guard let last = placed.last, next.column <= last.column + last.label.count else {
                placed.append(next)
                continue
            }
            var text = next.label
            if let eq = text.firstIndex(of: "="), last.label.hasPrefix(text[...eq]) { text = String(text[text.index(after: eq)...]) }
            placed[placed.count - 1].label += "→" + text
        }
        return placed
    }
}
