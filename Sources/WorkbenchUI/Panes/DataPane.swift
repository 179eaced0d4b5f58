import TerminalUI
import WorkbenchCore
import Datasets

/// The data set: a scatter coloured by class for 2-D classes, the points and the model's fitted
/// curve for 1-D regression, the first rows as a table otherwise.
@MainActor
struct DataPane {
    let app: WorkbenchApp

    func render(into buffer: inout Buffer, area: Rect, focused: Bool) {
        let context = app.context
        guard let data = app.session.data else {
            let inner = framePane([Span("Data")], focused: focused, into: &buffer, area: area, context: context)
            renderHint("no data yet: type `data spiral` (or circle xor gauss moons blobs linear sine)",
                       into: &buffer, area: inner, context: context)
            return
        }
        let full = data.full
        let inner = framePane([Span("Data: ", context.theme.style("pane.title")), Span(full.summary, context.theme.style("pane.title"))],
                              focused: focused, into: &buffer, area: area, context: context)
        let d = full.featureCount
        if let classes = full.task.classCount, d == 2 {
            let points = (0..<full.count).map { i in
                ScatterPoint(x: Double(full.features.scalars[2 * i]), y: Double(full.features.scalars[2 * i + 1]),
                             group: Int(full.targets.scalars[i]) % max(classes, 1))
            }
            Scatter(points: points).render(into: &buffer, area: inner, context: context)
        } else if full.task.classCount == nil, d == 1 {
            var points = (0..<full.count).map { i in
                ScatterPoint(x: Double(full.features.scalars[i]), y: Double(full.targets.scalars[i]), group: 0)
            }
            if let grid = app.session.probeGrid, case .line(let count) = grid.kind,
               let output = app.snapshot?.probeOutput, output.count == count {
                points += (0..<count).map { ScatterPoint(x: grid.lineX($0), y: Double(output.scalars[$0]), group: 1) }
            }
            Scatter(points: points).render(into: &buffer, area: inner, context: context)
        } else {
            let header = full.featureNames + [full.task.classCount == nil ? "target" : "class"]
            let rows = (0..<min(full.count, max(inner.height - 1, 0))).map { r -> [String] in
                (0..<d).map { shortNumber(Double(full.features.scalars[r * d + $0])) }
                    + [full.task.classCount == nil ? shortNumber(Double(full.targets.scalars[r]))
                        : label(full, Int(full.targets.scalars[r]))]
            }
            Table(header: header, rows: rows, alignments: Array(repeating: .right, count: header.count))
                .render(into: &buffer, area: inner, context: context)
        }
    }

    private func label(_ data: Dataset, _ c: Int) -> String {
        c < data.classNames.count ? data.classNames[c] : "\(c)"
    }
}

/// Four significant digits, as the tables show numbers.
func shortNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x == 0 { return "0" }
    return String(format: "%.4g", x)
}
