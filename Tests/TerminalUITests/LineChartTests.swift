import Testing
@testable import TerminalUI

@Suite("Line chart")
struct LineChartTests {
    let squares = LineChart(series: [.init(values: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100])])
    let falling = LineChart(series: [.init(values: [3, 1, 2, 0.5, 0.25])], markers: [.init(x: 2, label: "lr=.01")])

    @Test func knownSeriesWithAxesAndNiceTicks() {
        #expect(text(squares, width: 20, height: 6) == """
            100┤              ⡠⠊
               │           ⢀⠔⠉
             50┤       ⢀⣀⠤⠒⠁
              0┤⣀⣀⡠⠤⠤⠔⠊⠁
               └┬──────────────┬
                0             10
            """)
    }

    @Test func markerDrawsADottedLineAndItsLabelOnTheTopRow() {
        #expect(text(falling, width: 20, height: 6) == """
            3┤⠑⡄       ▲lr=.01
            2┤ ⠈⠢⡀   ⢀⠤⠧⡀
            1┤   ⠘⢄⠤⠊⠁ ⠅⠈⢆
             │         ⠅  ⠑⠤⠤⢄⣀⣀
             └┬────────────────┬
              0                4
            """)
        let buffer = render(falling, width: 20, height: 6)
        #expect(buffer[11, 0].style == Theme.builtInDefault.style("chart.marker"))
    }

    @Test func anUnconnectedSeriesDrawsItsPointsAlone() {
        let points = [(x: 0.0, y: 0.0), (x: 10.0, y: 10.0)]
        let joined = render(LineChart(series: [.init(points)], showsAxes: false), width: 10, height: 4)
        let dotted = render(LineChart(series: [.init(points, connected: false)], showsAxes: false), width: 10, height: 4)
        func marked(_ b: Buffer) -> Int {
            (0..<4).reduce(0) { rows, y in rows + (0..<10).filter { b[$0, y].symbol != " " }.count }
        }
        #expect(marked(dotted) == 2)
        #expect(marked(joined) > 4)
    }

    @Test func asciiFallbackUsesOneCharacterPerCell() {
        #expect(text(falling, width: 20, height: 6, context: asciiContext) == """
            3+'.       ^lr=.01
            2+  :     .:
            1+   '..'' ''..
             |         '   ''...
             ++----------------+
              0                4
            """)
    }

    @Test func logScaleSkipsNonPositiveValuesAndBreaksTheLine() {
        let chart = LineChart(series: [.init(values: [100, 10, 1, 0.1, 0.01, -1, 0.001])], yScale: .log)
        #expect(text(chart, width: 20, height: 8) == """
             100┤⠑⢄
                │  ⠑⢄⡀
               1┤    ⠈⠢⡀
                │      ⠈⠢⡀
            0.01┤        ⠈⠢
                │              ⢀
                └┬───────────┬──
                 0           5
            """)
        #expect(chart.effectiveRanges().y == 0.001...100)
    }

    @Test func brailleDotsFollowBresenham() {
        // 2×1 cells = 4×4 dots; (0,0)…(3,3) climbs one dot per column from the bottom left.
        let chart = LineChart(series: [.init([(x: 0, y: 0), (x: 3, y: 3)])], xRange: 0...3, yRange: 0...3,
                              showsAxes: false)
        #expect(text(chart, width: 2, height: 1) == "⡠⠊")
        let single = LineChart(series: [.init([(x: 3, y: 0)])], xRange: 0...3, yRange: 0...3, showsAxes: false)
        #expect(text(single, width: 2, height: 1) == " ⢀")
    }

    @Test func seriesColourTheirCellsAndTheLastDrawnWins() {
        let red = Style(foreground: .red), blue = Style(foreground: .blue)
        let chart = LineChart(series: [.init(values: [0, 0], style: red), .init(values: [1, 0], style: blue)],
                              yRange: 0...1, showsAxes: false)
        let buffer = render(chart, width: 3, height: 1)
        #expect(buffer.styleDump(legend: [red: "r", blue: "b"]) == "bbb")
        #expect(buffer.textDump() == "⣑⣢⣄")  // the flat red line under the blue diagonal
    }

    @Test func farAwayPointsAreClippedNotWalked() {
        let chart = LineChart(series: [.init([(x: 0, y: 0), (x: 1e300, y: 1e300)])], xRange: 0...1, yRange: 0...1,
                              showsAxes: false)
        #expect(text(chart, width: 2, height: 1) == "⡠⠊")
    }

    @Test func emptyAndConstantSeriesStillDrawAxes() {
        #expect(text(LineChart(series: []), width: 10, height: 4) == """
            1┤
            0┤
             └┬──────┬
              0      1
            """)
        let flat = LineChart(series: [.init(values: [0.5, 0.5, 0.5])], showsAxes: false)
        #expect(text(flat, width: 4, height: 1) == "⠤⠤⠤⠤")  // a constant is drawn mid-height
    }

    @Test func tinyAreasDrawOnlyThePlot() {
        #expect(text(squares, width: 1, height: 1) == "⡸")
        #expect(text(squares, width: 0, height: 3) == "\n\n")
        #expect(text(squares, width: 7, height: 3).split(separator: "\n").count <= 3)
    }

    /// Markers whose labels would overlap merge into one readable label, never a mix of two
    /// (`▲lr=0.055` from `lr=1e+05` and `lr=0.05`).
    @Test func collidingMarkerLabelsMerge() {
        let chart = LineChart(series: [.init(values: [3, 2, 1, 0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.01])],
                              markers: [.init(x: 4, label: "lr=1e+05"), .init(x: 4.2, label: "lr=0.05"), .init(x: 9, label: "best")])
        let top = text(chart, width: 40, height: 6).split(separator: "\n").first.map(String.init) ?? ""
        #expect(top.contains("lr=1e+05→0.05"), "\(top)")
        #expect(!top.contains("0.055"))
        let placed = LineChart.placedLabels([(column: 3, label: "lr=1", style: nil), (column: 5, label: "lr=2", style: nil),
                                             (column: 20, label: "undo", style: nil)])
        #expect(placed.map(\.label) == ["lr=1→2", "undo"])
        #expect(placed.map(\.column) == [3, 20])
    }
}
