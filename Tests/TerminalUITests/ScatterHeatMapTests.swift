import Testing
import TerminalUI

@Suite("Scatter, heat map, sparkline")
struct ScatterHeatMapTests {
    let diagonal = (0...3).map { ScatterPoint(x: Double($0), y: Double(3 - $0), group: $0 % 2) }

    @Test func scatterPlacesBrailleDotsExactly() {
        let scatter = Scatter(points: diagonal, xRange: 0...3, yRange: 0...3, showsAxes: false, marks: .dots)
        // Dots (0,0), (1,1) in the left cell, (2,2), (3,3) in the right one.
        #expect(text(scatter, width: 2, height: 1) == "⠑⢄")
    }

    @Test func scatterColoursByClassAndTheLastPointInACellWins() {
        let theme = Theme.builtInDefault
        let scatter = Scatter(points: diagonal, xRange: 0...3, yRange: 0...3, showsAxes: false, marks: .dots)
        let buffer = render(scatter, width: 2, height: 1)
        #expect(buffer[0, 0].style == theme.classStyle(1))
        #expect(buffer[1, 0].style == theme.classStyle(1))
    }

    @Test func scatterWithoutColourUsesClassMarks() {
        let scatter = Scatter(points: diagonal, xRange: 0...3, yRange: 0...3, showsAxes: false)
        #expect(text(scatter, width: 4, height: 2, context: monoContext) == "●○\n  ●○")
        #expect(text(scatter, width: 4, height: 2, context: asciiContext) == "ox\n  ox")
    }

    @Test func scatterAutoRangesArePadded() {
        let ranges = Scatter(points: [ScatterPoint(x: 0, y: 10), ScatterPoint(x: 10, y: 20)]).effectiveRanges()
        #expect(ranges.x == -0.5...10.5)
        #expect(ranges.y == 9.5...20.5)
        #expect(Scatter(points: []).effectiveRanges().x == 0...1)
    }

    @Test func scatterWithAxes() {
        let scatter = Scatter(points: diagonal, xRange: 0...3, yRange: 0...3)
        // Only two y ticks fit three rows; 3 has no label, the dots sit at their rounded places.
        #expect(text(scatter, width: 12, height: 5) == """
             │⠁
            2┤   ⠁  ⢀
            0┤         ⢀
             └┬─────┬───
              0     2
            """)
    }

    @Test func heatMapUsesHalfBlocksWithRampColours() {
        let theme = Theme.builtInDefault
        let heat = HeatMap(values: [[0, 1], [1, 0.5]])
        let buffer = render(heat, width: 2, height: 1)
        #expect(buffer.textDump() == "▀▀")
        #expect(buffer[0, 0].style == Style(foreground: theme.ramp(0), background: theme.ramp(1)))
        #expect(buffer[1, 0].style == Style(foreground: theme.ramp(1), background: theme.ramp(0.5)))
        #expect(theme.ramp(0) == .indexed(25) && theme.ramp(1) == .indexed(166))
    }

    @Test func heatMapStretchesTheGridAndOverlaysPoints() {
        let theme = Theme.builtInDefault
        let heat = HeatMap(values: [[0, 1]], points: [ScatterPoint(x: 0.9, y: 0.1, group: 1)])
        let buffer = render(heat, width: 4, height: 2)
        #expect(buffer.textDump() == "▀▀▀▀\n▀▀▀•")
        let low = Style(foreground: theme.ramp(0), background: theme.ramp(0))
        let high = Style(foreground: theme.ramp(1), background: theme.ramp(1))
        let point = theme.classStyle(1).patched(with: Style(background: theme.ramp(1)))
        #expect(buffer.styleDump(legend: [low: "l", high: "h", point: "p"]) == "llhh\nllhp")
    }

    @Test func heatMapWithoutColourUsesShades() {
        let grid = (0..<4).map { row in (0..<4).map { column in Double(row + column) / 6 } }
        let heat = HeatMap(values: grid, points: [ScatterPoint(x: 0.1, y: 0.9, group: 1)])
        #expect(text(heat, width: 4, height: 2, context: monoContext) == "○:=+\n=+#%")
        // Colour without half blocks: spaces on the colour; NaN stays blank.
        let plain = render(HeatMap(values: [[.nan, 1]]), width: 2, height: 1, context: asciiContext)
        #expect(plain[0, 0] == .blank)
        #expect(plain[1, 0] == Cell(" ", style: Style(background: Theme.builtInDefault.ramp(1))))
    }

    @Test func sparklineBarsAndGaps() {
        let line = Sparkline(values: [1, 2, 3, 4, 5, 6, 7, 8, .nan, 2])
        #expect(text(line, width: 12, height: 1) == "▁▂▃▄▅▆▇█ ▂")
        #expect(text(line, width: 12, height: 2) == "    ▂▄▆█\n▁▃▅▇████ ▃")
        #expect(text(line, width: 3, height: 1) == "█ ▁")  // the last values, rescaled to what shows
        #expect(text(line, width: 12, height: 1, context: asciiContext) == "__.--==# _")
        #expect(text(Sparkline(values: [5, 5]), width: 4, height: 1) == "▅▅")
        #expect(text(Sparkline(values: []), width: 4, height: 1) == "")
    }
}
