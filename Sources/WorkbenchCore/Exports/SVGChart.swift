import Foundation

/// The colours exported plots use, as `#rrggbb`: the screen's theme, given by the front end
/// (`FrontEndSettings.plotPalette`); these defaults are the default theme's.
public struct PlotPalette: Equatable, Sendable {
    public var background = "#1c1c1c"
    public var text = "#d0d0d0"
    public var axis = "#808080"
    public var train = "#5fafff"
    public var validation = "#ffaf5f"
    public var path = "#ffffff"
    /// One per class (class 10 uses class 0's again).
    public var classes = ["#5fafff", "#ffaf5f", "#87d787", "#ff8787", "#d7afff", "#d7d787", "#87d7d7", "#ffafd7",
                          "#afaf87", "#d0d0d0"]
    /// Low to high, for heat maps (the contour, the confusion matrix).
    public var ramp = ["#1c1c3a", "#303a6e", "#3a6ea5", "#3aa58c", "#8cc85a", "#e6d250", "#ffaf5f"]

    public init() {}

    /// The ramp colour at t in [0, 1].
    func ramp(_ t: Double) -> String {
        guard !ramp.isEmpty else { return text }
        let i = Int((max(0, min(1, t)) * Double(ramp.count - 1)).rounded())
        return ramp[i]
    }

    func classColour(_ k: Int) -> String { classes.isEmpty ? text : classes[k % classes.count] }
}

/// A standalone SVG chart: a plot area with axes, ticks and their labels, a title, axis names
/// and a legend; things are drawn in data coordinates. Every text is escaped; every number
/// written with two decimals, so the same chart gives the same bytes.
struct SVGChart {
    var title: String
    var xLabel: String
    var yLabel: String
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    var palette: PlotPalette
    var logY = false
    var xTickLabels: [(Double, String)]? = nil
    var yTickLabels: [(Double, String)]? = nil
    private var body: [String] = []
    private var legend: [(String, String)] = []

    static let width = 720.0, height = 460.0
    static let left = 80.0, right = 170.0, top = 50.0, bottom = 60.0
    var plotWidth: Double { Self.width - Self.left - Self.right }
    var plotHeight: Double { Self.height - Self.top - Self.bottom }

    init(title: String, xLabel: String, yLabel: String, x: ClosedRange<Double>, y: ClosedRange<Double>,
         palette: PlotPalette, logY: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x.lowerBound < x.upperBound ? x : (x.lowerBound - 0.5)...(x.lowerBound + 0.5)
        self.y = y.lowerBound < y.upperBound ? y : (y.lowerBound - 0.5)...(y.lowerBound + 0.5)
        self.palette = palette
        self.logY = logY
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func n(_ v: Double) -> String { String(format: "%.2f", v.isFinite ? v : 0) }

    func px(_ v: Double) -> Double { Self.left + (v - x.lowerBound) / (x.upperBound - x.lowerBound) * plotWidth }
    func py(_ v: Double) -> Double {
        let (lo, hi, t) = logY ? (log10(y.lowerBound), log10(y.upperBound), log10(max(v, y.lowerBound))) : (y.lowerBound, y.upperBound, v)
        return Self.top + plotHeight - (t - lo) / max(hi - lo, 1e-12) * plotHeight
    }

    mutating func line(_ points: [(Double, Double)], colour: String, label: String?, width: Double = 2) {
        let finite = points.filter { $0.0.isFinite && $0.1.isFinite }
        guard !finite.isEmpty else { return }
        let text = finite.map { "\(Self.n(px($0.0))),\(Self.n(py($0.1)))" }.joined(separator: " ")
        body.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"\(Self.n(width))\" points=\"\(text)\"/>")
        if let label { legend.append((label, colour)) }
    }

    mutating func dots(_ points: [(Double, Double)], colour: String, radius: Double = 2.5, label: String?) {
        for p in points where p.0.isFinite && p.1.isFinite {
            body.append("<circle cx=\"\(Self.n(px(p.0)))\" cy=\"\(Self.n(py(p.1)))\" r=\"\(Self.n(radius))\" fill=\"\(colour)\" "
                        + "stroke=\"\(palette.background)\" stroke-width=\"0.5\"/>")
        }
        if let label { legend.append((label, colour)) }
    }

    /// A grid of cells over the whole plot area, row 0 at the top.
    mutating func cells(columns: Int, rows: Int, colour: (Int, Int) -> String, text: ((Int, Int) -> String)? = nil) {
        let w = plotWidth / Double(columns), h = plotHeight / Double(rows)
        for r in 0..<rows {
            for c in 0..<columns {
                let x0 = Self.left + Double(c) * w, y0 = Self.top + Double(r) * h
                body.append("<rect shape-rendering=\"crispEdges\" x=\"\(Self.n(x0))\" y=\"\(Self.n(y0))\" width=\"\(Self.n(w + 0.3))\" height=\"\(Self.n(h + 0.3))\" fill=\"\(colour(c, r))\"/>")
                if let label = text?(c, r) {
                    body.append("<text x=\"\(Self.n(x0 + w / 2))\" y=\"\(Self.n(y0 + h / 2 + 4))\" text-anchor=\"middle\" "
                                + "fill=\"\(palette.text)\" font-size=\"12\">\(Self.escape(label))</text>")
                }
            }
        }
    }

    mutating func marker(_ point: (Double, Double), colour: String, label: String) {
        body.append("<circle cx=\"\(Self.n(px(point.0)))\" cy=\"\(Self.n(py(point.1)))\" r=\"5\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>")
        legend.append((label, colour))
    }

    mutating func addLegend(_ label: String, colour: String) { legend.append((label, colour)) }

    /// Nice tick values over `range`: 1, 2 or 5 times a power of ten, about five of them.
    static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / Double(count)
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var out: [Double] = []
        var v = ceil(range.lowerBound / step) * step
        while v <= range.upperBound + step * 1e-9, out.count < 50 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
        return out
    }

    static func label(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) >= 1e4 || abs(v) < 1e-3 { return String(format: "%.0e", v) }
        return String(format: "%g", (v * 1e6).rounded() / 1e6)
    }

    var svg: String {
        var s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Self.width))\" height=\"\(Int(Self.height))\" "
        s += "viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        s += "<title>\(Self.escape(title))</title>\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"\(palette.background)\"/>\n"
        s += "<text x=\"\(Self.n(Self.width / 2))\" y=\"28\" text-anchor=\"middle\" fill=\"\(palette.text)\" font-size=\"16\">\(Self.escape(title))</text>\n"
        s += "<g clip-path=\"url(#plot)\">\n" + body.joined(separator: "\n") + "\n</g>\n"
        s += "<clipPath id=\"plot\"><rect x=\"\(Self.n(Self.left))\" y=\"\(Self.n(Self.top))\" width=\"\(Self.n(plotWidth))\" height=\"\(Self.n(plotHeight))\"/></clipPath>\n"
        // Axes, ticks, tick labels.
        let x0 = Self.left, y0 = Self.top + plotHeight
        s += "<g stroke=\"\(palette.axis)\" stroke-width=\"1\">"
        s += "<line x1=\"\(Self.n(x0))\" y1=\"\(Self.n(y0))\" x2=\"\(Self.n(x0 + plotWidth))\" y2=\"\(Self.n(y0))\"/>"
        s += "<line x1=\"\(Self.n(x0))\" y1=\"\(Self.n(Self.top))\" x2=\"\(Self.n(x0))\" y2=\"\(Self.n(y0))\"/></g>\n"
        let xt = xTickLabels ?? Self.ticks(x).map { ($0, Self.label($0)) }
        for (v, text) in xt {
            let p = px(v)
            s += "<line x1=\"\(Self.n(p))\" y1=\"\(Self.n(y0))\" x2=\"\(Self.n(p))\" y2=\"\(Self.n(y0 + 5))\" stroke=\"\(palette.axis)\"/>"
            s += "<text x=\"\(Self.n(p))\" y=\"\(Self.n(y0 + 19))\" text-anchor=\"middle\" fill=\"\(palette.text)\" font-size=\"11\">\(Self.escape(text))</text>\n"
        }
        let yt = yTickLabels ?? (logY ? Self.logTicks(y) : Self.ticks(y)).map { ($0, Self.label($0)) }
        for (v, text) in yt {
            let p = py(v)
            s += "<line x1=\"\(Self.n(x0 - 5))\" y1=\"\(Self.n(p))\" x2=\"\(Self.n(x0))\" y2=\"\(Self.n(p))\" stroke=\"\(palette.axis)\"/>"
            s += "<text x=\"\(Self.n(x0 - 8))\" y=\"\(Self.n(p + 4))\" text-anchor=\"end\" fill=\"\(palette.text)\" font-size=\"11\">\(Self.escape(text))</text>\n"
        }
        s += "<text x=\"\(Self.n(x0 + plotWidth / 2))\" y=\"\(Self.n(Self.height - 18))\" text-anchor=\"middle\" fill=\"\(palette.text)\" font-size=\"13\">\(Self.escape(xLabel))</text>\n"
        s += "<text x=\"18\" y=\"\(Self.n(Self.top + plotHeight / 2))\" text-anchor=\"middle\" fill=\"\(palette.text)\" font-size=\"13\" "
        s += "transform=\"rotate(-90 18 \(Self.n(Self.top + plotHeight / 2)))\">\(Self.escape(yLabel))</text>\n"
        // Legend.
        for (k, entry) in legend.enumerated() {
            let ly = Self.top + 10 + Double(k) * 20, lx = Self.width - Self.right + 15
            s += "<rect x=\"\(Self.n(lx))\" y=\"\(Self.n(ly - 9))\" width=\"14\" height=\"10\" fill=\"\(entry.1)\"/>"
            s += "<text x=\"\(Self.n(lx + 20))\" y=\"\(Self.n(ly))\" fill=\"\(palette.text)\" font-size=\"12\">\(Self.escape(entry.0))</text>\n"
        }
        return s + "</svg>\n"
    }

    static func logTicks(_ range: ClosedRange<Double>) -> [Double] {
        guard range.lowerBound > 0 else { return ticks(range) }
        let lo = Int(floor(log10(range.lowerBound))), hi = Int(ceil(log10(range.upperBound)))
        return (lo...max(lo, hi)).map { pow(10, Double($0)) }.filter { range.contains($0) }
    }
}
