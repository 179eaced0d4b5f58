import TerminalUI
import WorkbenchCore
import NeuralEngine
import Training

extension EvaluationPane {
    /// A GPT's heads as the run goes (`show heads`): one line per head with its latest
    /// previous-token, induction and copying scores, then each head's induction score by update
    /// (0…1, a colour per head, the likeliest induction head marked where it rose), beside the
    /// loss pane's curve on the same updates: the phase change of Olsson et al. (2022).
    func renderHeads(into buffer: inout Buffer, area: Rect) {
        let theme = app.context.theme
        guard let history = app.session.display.latestSnapshot?.heads, let reading = history.latest, !reading.heads.isEmpty else {
            renderHint("`show heads` scores a GPT's attention heads here as it trains", into: &buffer, area: area, context: app.context)
            return
        }
        let best = reading.likeliestInduction
        // Head lines above the chart, then the probe's loss, when 4 chart rows are left; in a low
        // pane the likeliest induction head alone.
        let roomy = area.height >= reading.heads.count + 5
        let listed = roomy ? reading.heads : best.map { [$0] } ?? []
        func name(_ s: HeadScores) -> String { "L\(s.layer + 1)H\(s.head + 1)" }
        func style(_ index: Int) -> Style { theme.style("class.\(index % 10)") }
        let compact = area.width < 44 || !roomy
        for (row, s) in listed.enumerated() {
            let index = reading.heads.firstIndex(of: s) ?? 0
            let figures = compact
                ? " induction \(fmt(s.induction)) previous \(fmt(s.previousToken)) copying \(fmt(s.copying))"
                : "  previous \(fmt(s.previousToken))  induction \(fmt(s.induction))  copying \(fmt(s.copying))"
            // The mark takes its own column, so every head's figures stay aligned.
            let marked = listed.contains { $0 == best && $0.induction >= 0.3 }
            let mark = s == best && s.induction >= 0.3 ? " ◀" : marked ? "  " : ""
            buffer.write("━ ", x: area.x, y: area.y + row, style: style(index))
            buffer.write(name(s) + mark + figures, x: area.x + 2, y: area.y + row,
                         style: s == best ? theme.style("text") : theme.style("text.dim"), maxWidth: area.width - 2)
        }
        if roomy {
            let loss = "probe loss: first half \(fmt(reading.firstHalfLoss)), repeat \(fmt(reading.repeatLoss))"
            buffer.write(loss, x: area.x, y: area.y + listed.count, style: theme.style("text.dim"), maxWidth: area.width)
        }
        let top = listed.count + (roomy ? 1 : 0)
        let chartArea = Rect(x: area.x, y: area.y + top, width: area.width, height: max(area.height - top, 0))
        let series = reading.heads.indices.map { i in
            LineChart.Series(history.points.map { (x: Double($0.update), y: Double($0.induction[i])) }, style: style(i))
        }
        // The likeliest head drawn last, on top.
        let bestIndex = best.flatMap { reading.heads.firstIndex(of: $0) }
        let ordered = series.indices.filter { $0 != bestIndex }.map { series[$0] } + (bestIndex.map { [series[$0]] } ?? [])
        let markers = bestIndex.flatMap { i in history.riseUpdate(head: i) }.map {
            [LineChart.Marker(x: Double($0), label: best.map { name($0) + " rose" } ?? "")]
        } ?? []
        let first = Double(history.points.first?.update ?? 0), last = Double(history.points.last?.update ?? 1)
        LineChart(series: ordered, xRange: first...max(last, first + 1), yRange: 0...1, markers: markers)
            .render(into: &buffer, area: chartArea, context: app.context)
    }

    private func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
}
