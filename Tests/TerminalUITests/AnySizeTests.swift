import Testing
import TerminalUI
import TestSupport

/// Every widget, with random data, at random sizes from 0×0 to 200×60: it must not crash and
/// must not touch a cell outside its area.
@Suite("Any size")
struct AnySizeTests {
    enum Kind: String, CaseIterable, Sendable {
        case block, paragraph, table, lineChart, logChart, scatter, heatMap, sparkline, statusBar, notice
    }

    static let marker = Cell("@", style: Style(foreground: .indexed(201), underline: true))
    static let contexts = [
        RenderContext(), RenderContext(theme: .builtInMono), RenderContext(glyphs: .ascii),
        RenderContext(theme: .builtInMono, glyphs: .ascii),
    ]

    static func value(_ rng: inout SplitMix64) -> Double {
        switch Int.random(in: 0..<20, using: &rng) {
        case 0: .nan
        case 1: .infinity
        case 2: -1e300
        case 3: 0
        default: Double.random(in: -5...5, using: &rng)
        }
    }

    static func words(_ rng: inout SplitMix64) -> String {
        let pieces = ["descent", "loss", "0.213", "→", "", "a-very-long-word-without-spaces", "é", "⠑", "\t"]
        return (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
            .joined(separator: Bool.random(using: &rng) ? " " : "  ")
    }

    static func make(_ kind: Kind, _ rng: inout SplitMix64) -> any Widget {
        let count = Int.random(in: 0...300, using: &rng)
        func points() -> [ScatterPoint] {
            (0..<count).map { _ in ScatterPoint(x: value(&rng), y: value(&rng), group: Int.random(in: -3...12, using: &rng)) }
        }
        switch kind {
        case .block:
            return Block(title: words(&rng), rightTitle: [Span(words(&rng))], bottomTitle: [Span(words(&rng))],
                         isFocused: Bool.random(using: &rng),
                         borders: Block.Borders(rawValue: UInt8.random(in: 0...15, using: &rng)))
        case .paragraph:
            return Paragraph(lines: (0..<Int.random(in: 0...20, using: &rng)).map { _ in [Span(words(&rng))] },
                             wrap: Bool.random(using: &rng), scroll: Int.random(in: -2...10, using: &rng),
                             alignment: [.left, .center, .right].randomElement(using: &rng)!)
        case .table:
            let columns = Int.random(in: 0...6, using: &rng)
            return Table(header: (0..<columns).map { _ in words(&rng) },
                         rows: (0..<Int.random(in: 0...30, using: &rng)).map { _ in
                             (0..<Int.random(in: 0...columns, using: &rng)).map { _ in words(&rng) }
                         },
                         alignments: [.right, .center], highlightedRow: Int.random(in: -1...5, using: &rng),
                         columnSpacing: Int.random(in: -1...3, using: &rng), scroll: Int.random(in: -1...5, using: &rng))
        case .lineChart, .logChart:
            let series = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                LineChart.Series((0..<count).map { i in (x: Bool.random(using: &rng) ? Double(i) : value(&rng), y: value(&rng)) })
            }
            return LineChart(series: series, yScale: kind == .logChart ? .log : .linear,
                             markers: (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                                 .init(x: Double.random(in: -10...300, using: &rng), label: words(&rng))
                             })
        case .scatter:
            return Scatter(points: points(), padding: value(&rng), showsAxes: Bool.random(using: &rng))
        case .heatMap:
            let columns = Int.random(in: 0...40, using: &rng)
            return HeatMap(values: (0..<Int.random(in: 0...40, using: &rng)).map { _ in
                (0..<Int.random(in: 0...columns, using: &rng)).map { _ in value(&rng) }
            }, points: points(), xRange: -5...5, yRange: -5...5)
        case .sparkline:
            return Sparkline(values: (0..<count).map { _ in value(&rng) })
        case .statusBar:
            return StatusBar(left: [Span(words(&rng))], right: [Span(words(&rng))])
        case .notice:
            return MinimumSizeNotice(minimumWidth: 80, minimumHeight: 24)
        }
    }

    @Test(arguments: Kind.allCases)
    func neverDrawsOutsideItsArea(kind: Kind) {
        var rng = SplitMix64(seed: 42 + UInt64(Kind.allCases.firstIndex(of: kind)!))
        for round in 0..<40 {
            let width = round < 4 ? round % 2 : Int.random(in: 0...200, using: &rng)
            let height = round < 4 ? round / 2 : Int.random(in: 0...60, using: &rng)
            let (left, top) = (Int.random(in: 0...2, using: &rng), Int.random(in: 0...2, using: &rng))
            var buffer = Buffer(width: width + left + Int.random(in: 0...2, using: &rng),
                                height: height + top + Int.random(in: 0...2, using: &rng), filledWith: Self.marker)
            let area = Rect(x: left, y: top, width: width, height: height)
            let widget = Self.make(kind, &rng)
            let context = Self.contexts.randomElement(using: &rng)!
            widget.render(into: &buffer, area: area, context: context)
            let outside = (0..<buffer.height).flatMap { y in (0..<buffer.width).map { x in (x, y) } }
                .filter { x, y in !area.contains(x: x, y: y) && buffer[x, y] != Self.marker }
            #expect(outside.isEmpty, "\(kind) in \(area) (round \(round)) drew outside at \(outside.prefix(3))")
            // An area hanging off every edge of a smaller buffer must not crash either.
            var small = Buffer(width: width / 2, height: height / 2)
            widget.render(into: &small, area: Rect(x: -3, y: -2, width: width, height: height), context: context)
        }
    }
}
