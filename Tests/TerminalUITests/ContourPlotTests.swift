import Testing
@testable import TerminalUI

@Suite struct ContourPlotTests {
    /// A path whose b stays 0 up to rounding errors (±1e-8) on a window centred on b = 0, an
    /// even number of rows high (0 falls on the tie between two rows): the path and its current
    /// point sit on one row.
    @Test func aPathWithOneBSitsOnOneRow() {
        let values = [[Double]](repeating: [Double](repeating: 1, count: 8), count: 8)
        var points: [(x: Double, y: Double)] = []
        for i in 0..<12 { points.append((x: Double(i) / 2 - 3, y: i % 2 == 0 ? 1e-8 : -1e-8)) }
        points.append((x: 2.9, y: 0))
        let plot = ContourPlot(values: values, xRange: -4...4, yRange: -1...1, paths: [.init(points, style: .plain)])
        let rows = text(plot, width: 40, height: 12).split(separator: "\n", omittingEmptySubsequences: false)
        let glyphs = RenderContext().glyphs
        let marked = rows.filter { $0.contains(glyphs.point) || $0.contains(glyphs.currentPoint) }
        #expect(marked.count == 1, "\(rows.joined(separator: "\n"))")
    }
}
