import Foundation
import TerminalUI
import WorkbenchCore
import NeuralEngine
import Datasets
import Models

/// Evaluation on the validation split: the decision boundary (2-D classes), the confusion matrix
/// with precision/recall/F1, predicted-vs-true (regression) or the metric's history.
@MainActor
struct EvaluationPane {
    let app: WorkbenchApp

    static func resolve(_ view: EvaluationView, app: WorkbenchApp) -> EvaluationView {
        guard view == .auto else { return view }
        guard let data = app.session.display.data else { return .confusion }
        if case .sequence = data.task {
            // Repeating symbols are the induction-head task: its heads' scores by update show the phase change.
            return data.full.name == SymbolTask.repeats.rawValue && isAvailable(.heads, app: app) ? .heads : .attention
        }
        if data.task.classCount == nil { return .fit }
        return data.full.featureCount == 2 ? .boundary : .confusion
    }

    static func isAvailable(_ view: EvaluationView, app: WorkbenchApp) -> Bool {
        guard let data = app.session.display.data else { return view == .history }
        switch view {
        case .auto, .history: return true
        case .contour: return app.session.display.hasLossSurface
        case .lrFinder: return app.session.display.views.lrFind != nil
        case .health: return app.session.display.shownRun != nil
        case .confusion: return data.task.classCount != nil
        case .boundary: return data.task.classCount != nil && data.full.featureCount == 2
        case .unit: return app.session.display.views.unit != nil && data.full.featureCount == 2
        case .fit: return data.task.isRegression
        case .attention: return app.session.display.attentionMaps != nil
        case .heads: return app.session.display.latestSnapshot?.heads != nil
        }
    }

    func render(into buffer: inout Buffer, area: Rect, focused: Bool) {
        let context = app.context, theme = context.theme
        var view = Self.resolve(app.evaluationView, app: app)
        if !Self.isAvailable(view, app: app) { view = Self.resolve(.auto, app: app) }
        let previewing = app.session.display.currentRun == nil && app.session.display.preview != nil && view != .lrFinder
        let split = view == .contour || view == .lrFinder || view == .health ? " (train)"
            : view == .heads ? " (probe)"
            : view == .attention && app.session.display.views.attention.served != nil ? " (served)"
            : app.session.display.views.rewound.map { " (val, rewound to epoch \($0.epoch))" } ?? " (val)"
        let title = [Span("Evaluate: ", theme.style("pane.title")), Span(Self.name(view), theme.style("pane.title")),
                     Span(previewing ? " (the next run's start)" : split, theme.style("text.dim"))]
        // With several runs on the loss chart (a race, `compare`), say whose figures these are;
        // the contour draws them all.
        let shown = app.session.display.shownRuns
        let whose = shown.count > 1 && view != .contour && view != .lrFinder
            ? app.session.display.shownRun.map { "run \($0.name.map { "\($0)" } ?? "\($0.id) \($0.setup.optimizer.kind.rawValue)") · " } ?? "" : ""
        let inner = framePane(title, right: [Span(whose + "F5", theme.style("text.dim"))], focused: focused,
                              into: &buffer, area: area, context: context)
        guard app.session.display.shownRun != nil || view == .lrFinder else {
            renderHint(app.session.display.records.isEmpty ? "train a model to evaluate it here"
                       : "no run for this set-up yet: `train` evaluates it here", into: &buffer, area: inner, context: context)
            return
        }
        switch view {
        case .boundary: renderBoundary(into: &buffer, area: inner)
        case .unit: renderUnit(into: &buffer, area: inner)
        case .confusion, .auto: renderConfusion(into: &buffer, area: inner)
        case .fit: renderFit(into: &buffer, area: inner)
        case .contour: renderContour(into: &buffer, area: inner)
        case .lrFinder: renderLRFinder(into: &buffer, area: inner)
        case .health: renderHealth(into: &buffer, area: inner)
        case .history: renderHistory(into: &buffer, area: inner)
        case .attention: renderAttention(into: &buffer, area: inner)
        case .heads: renderHeads(into: &buffer, area: inner)
        }
    }

    static func name(_ view: EvaluationView) -> String {
        switch view {
        case .auto, .confusion: return "confusion"
        case .boundary: return "decision boundary"
        case .unit: return "one hidden unit"
        case .fit: return "predicted (y) vs true (x)"
        case .contour: return "loss J(w, b), w → b ↑"
        case .lrFinder: return "lr find: loss by learning rate"
        case .health: return "layer health"
        case .history: return "metric by epoch"
        case .attention: return "attention, query by key"
        case .heads: return "heads, induction score by update"
        }
    }

    private func renderBoundary(into buffer: inout Buffer, area: Rect) {
        guard let grid = app.session.display.data?.probeGrid, case .plane(let columns, let rows) = grid.kind,
              let output = app.snapshot?.probeOutput, output.rows == columns * rows,
              let data = app.session.display.data, let k = data.task.classCount else {
            renderHint("the boundary appears after the first update", into: &buffer, area: area, context: app.context)
            return
        }
        let width = output.columns
        let points = validationPoints(data)
        guard width > 1 else {
            // Binary: P(class 1) on the ramp between the two classes' ends.
            let values = (0..<rows).map { r in (0..<columns).map { Double(output.scalars[r * columns + $0]) } }
            HeatMap(values: values, points: points, xRange: grid.xRange, yRange: grid.yRange)
                .render(into: &buffer, area: area, context: app.context)
            return
        }
        // k classes: each cell is its predicted class, as sure as the probability above chance
        // (1/k) says: (p − 1/k) / (1 − 1/k).
        var classes = [[Int]](repeating: [Int](repeating: 0, count: columns), count: rows)
        var confidence = [[Double]](repeating: [Double](repeating: 0, count: columns), count: rows)
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                var best = 0
                for j in 1..<width where output.scalars[i * width + j] > output.scalars[i * width + best] { best = j }
                classes[r][c] = best
                let chance = 1 / Double(k)
                confidence[r][c] = (Double(output.scalars[i * width + best]) - chance) / (1 - chance)
            }
        }
        let mapArea = Rect(x: area.x, y: area.y, width: area.width, height: max(area.height - 1, 0))
        HeatMap(values: confidence, points: points, xRange: grid.xRange, yRange: grid.yRange, classes: classes)
            .render(into: &buffer, area: mapArea, context: app.context)
        renderClassLegend(data, k: k, into: &buffer, x: area.x, y: area.y + area.height - 1, width: area.width)
    }

    /// The validation points in the data's own units, grouped by class.
    private func validationPoints(_ data: DataState) -> [ScatterPoint] {
        let v = data.validation, raw = data.standardizer.restored(v.features)
        return (0..<v.count).map { i in
            ScatterPoint(x: Double(raw.scalars[2 * i]), y: Double(raw.scalars[2 * i + 1]), group: Int(v.targets.scalars[i]))
        }
    }

    /// Under a map of class regions: each class's mark and name in its colour (with its region
    /// letter without colour), then how confidence shows.
    private func renderClassLegend(_ data: DataState, k: Int, into buffer: inout Buffer, x: Int, y: Int, width: Int) {
        let theme = app.context.theme, glyphs = app.context.glyphs
        let colored = theme.usesColor && !theme.rampColors.isEmpty
        let names = data.full.classNames
        var spans: [Span] = []
        for c in 0..<k {
            let name = c < names.count ? names[c] : "\(c)"
            spans.append(Span(glyphs.classMark(c) + (colored ? " " : "=" + HeatMap.regionLetter(c) + " ") + name + "  ",
                              theme.classStyle(c)))
        }
        spans.append(Span(colored ? "faint: unsure" : ".: unsure", theme.style("text.dim")))
        buffer.write(spans, x: x, y: y, maxWidth: width)
    }

    /// The watched hidden unit's activation over the plane: the activation's own range (tanh
    /// −1…1, sigmoid 0…1) or, unbounded, its range here, on the heat ramp; the data on top.
    private func renderUnit(into buffer: inout Buffer, area: Rect) {
        guard let data = app.session.display.data, let grid = data.probeGrid, case .plane(let columns, let rows) = grid.kind,
              let unit = app.session.display.unitActivations, unit.values.count == columns * rows else {
            renderHint("`show unit LAYER UNIT` picks a hidden unit to draw here", into: &buffer, area: area, context: app.context)
            return
        }
        let lo = Double(unit.bounds?.lowerBound ?? min(0, unit.values.min() ?? 0))
        let hi = Double(unit.bounds?.upperBound ?? max(unit.values.max() ?? 1, 0)) + (unit.bounds == nil ? 1e-6 : 0)
        let values = (0..<rows).map { r in (0..<columns).map { (Double(unit.values[r * columns + $0]) - lo) / (hi - lo) } }
        let mapArea = Rect(x: area.x, y: area.y, width: area.width, height: max(area.height - 1, 0))
        HeatMap(values: values, points: validationPoints(data), xRange: grid.xRange, yRange: grid.yRange)
            .render(into: &buffer, area: mapArea, context: app.context)
        let theme = app.context.theme
        let label = app.session.display.unitLabel.map { " (\($0))" } ?? ""
        let range = unit.values.isEmpty || unit.bounds == nil ? "" : " · here \(shortNumber(Double(unit.values.min()!)))…\(shortNumber(Double(unit.values.max()!)))"
        buffer.write([Span("unit \(unit.unit + 1) of layer \(unit.layer + 1)\(label): ", theme.style("text.dim")),
                      Span(shortNumber(lo), theme.style("heat.low")), Span(" … ", theme.style("text.dim")),
                      Span(shortNumber(hi), theme.style("heat.high")), Span(range, theme.style("text.dim"))],
                     x: area.x, y: area.y + area.height - 1, maxWidth: area.width)
    }

    private func renderConfusion(into buffer: inout Buffer, area: Rect) {
        guard let m = app.snapshot?.validation?.confusion else {
            renderHint("the confusion matrix appears after the first epoch", into: &buffer, area: area, context: app.context)
            return
        }
        let names = app.session.display.data?.full.classNames ?? []
        func name(_ c: Int) -> String { c < names.count ? names[c] : "\(c)" }
        let f2 = { (x: Double) in String(format: "%.2f", x) }
        func table(perClass: Bool, spacing: Int) -> Table {
            var rows = (0..<m.classes).map { t in
                [name(t)] + m.counts[t].map(String.init) + (perClass ? [f2(m.precision(t)), f2(m.recall(t)), f2(m.f1(t))] : [])
            }
            if perClass {
                rows.append(["macro"] + Array(repeating: "", count: m.classes) + [f2(m.macroPrecision), f2(m.macroRecall), f2(m.macroF1)])
            }
            var styles: [Table.Position: Style] = [:]
            for t in 0..<m.classes { styles[Table.Position(row: t, column: t + 1)] = app.context.theme.style("ok") }
            let header = ["true\\pred"] + (0..<m.classes).map(name) + (perClass ? ["P", "R", "F1"] : [])
            return Table(header: header, rows: rows, alignments: [.left] + Array(repeating: .right, count: header.count - 1),
                         cellStyles: styles, columnSpacing: spacing, scroll: app.scroll[.evaluation, default: 0])
        }
        // Per-class precision/recall/F1 beside the counts whenever they fit (zoomed, a 10×10
        // matrix has room for them); otherwise the counts alone, and the footer says where the rest is.
        let fitting = [2, 1].lazy.map { table(perClass: true, spacing: $0) }.first { $0.naturalWidth <= area.width }
        let perClass = fitting != nil
        let shown = fitting ?? table(perClass: false, spacing: 1)
        let tableArea = Rect(x: area.x, y: area.y, width: area.width, height: max(area.height - 1, 0))
        shown.render(into: &buffer, area: tableArea, context: app.context)
        let visibleRows = max(0, tableArea.height - 1)
        let firstRow = min(app.scroll[.evaluation, default: 0], max(0, shown.rows.count - 1))
        let zoomed = app.zoomed == .evaluation
        var notes = ["accuracy \(String(format: "%.3f", m.accuracy)) on \(m.total) · macro F1 \(f2(m.macroF1))"]
        if shown.rows.count - firstRow > visibleRows {
            // First: the learner must know rows are missing before reading the totals.
            notes.insert("rows \(firstRow + 1)–\(firstRow + visibleRows) of \(shown.rows.count): " + (zoomed ? "PgDn" : "F4"), at: 0)
        } else if !perClass {
            notes.append(zoomed ? "P/R/F1: `show confusion`" : "P/R/F1: F4")
        }
        buffer.write(notes.joined(separator: " · "), x: area.x, y: area.y + area.height - 1,
                     style: app.context.theme.style("text.dim"), maxWidth: area.width)
    }

    private func renderFit(into buffer: inout Buffer, area: Rect) {
        guard let data = app.session.display.data, let predicted = app.snapshot?.validationPredictions,
              predicted.count == data.validation.count else {
            renderHint("predictions appear after the first update", into: &buffer, area: area, context: app.context)
            return
        }
        let truth = data.validationTargets
        let points = (0..<truth.count).map { ScatterPoint(x: Double(truth[$0]), y: Double(predicted.scalars[$0]), group: 0) }
        let lo = Double(truth.min() ?? 0), hi = Double(truth.max() ?? 1)
        let diagonal = (0..<60).map { i -> ScatterPoint in
            let x = lo + (hi - lo) * Double(i) / 59
            return ScatterPoint(x: x, y: x, group: 1)
        }
        Scatter(points: diagonal + points).render(into: &buffer, area: area, context: app.context)
    }

    /// The training loss over the (w, b) plane in bands, the runs' paths on it (● now), the
    /// minimum ×, and a line saying where each is.
    private func renderContour(into buffer: inout Buffer, area: Rect) {
        guard let run = app.session.display.shownRun else { return }
        let cached = app.contourCache?.run == run.id ? app.contourCache?.surface : nil
        guard let surface = app.session.display.lossSurface(reusing: cached) else {
            renderHint("the contour needs a model with two parameters, e.g. `model linear` on `data linear`",
                       into: &buffer, area: area, context: app.context)
            return
        }
        app.contourCache = (run.id, surface)
        let runs = app.session.display.shownRuns
        let paths = runs.enumerated().map { i, r in
            ContourPlot.Path(r.path.points.map { (x: Double($0.w), y: Double($0.b)) },
                             style: runs.count == 1 ? app.context.theme.style("loss.train") : app.context.theme.classStyle(i))
        }
        let plotArea = Rect(x: area.x, y: area.y, width: area.width, height: max(area.height - 1, 0))
        ContourPlot(values: surface.values, xRange: surface.wRange, yRange: surface.bRange, paths: paths,
                    minimum: (surface.minimum.w, surface.minimum.b))
            .render(into: &buffer, area: plotArea, context: app.context)
        let now = run.path.current.map { "● w \(shortNumber(Double($0.w))) b \(shortNumber(Double($0.b)))" } ?? ""
        let minimum = "\(app.context.glyphs.times) w \(shortNumber(surface.minimum.w)) b \(shortNumber(surface.minimum.b))"
            + " J \(shortNumber(surface.minimum.loss))" + (surface.minimumIsExact ? "" : " (lowest shown)")
        buffer.write(now + "  " + minimum, x: area.x, y: area.y + area.height - 1,
                     style: app.context.theme.style("text.dim"), maxWidth: area.width)
    }

    /// The range test's smoothed loss against the rate on a log axis, the suggestion marked.
    private func renderLRFinder(into buffer: inout Buffer, area: Rect) {
        guard let found = app.session.display.views.lrFind?.result else { return }
        let theme = app.context.theme
        let points = zip(found.rates, found.losses).map { (x: Double($0.0), y: Double($0.1)) }
        let chartArea = Rect(x: area.x, y: area.y, width: area.width, height: max(area.height - 1, 0))
        let yRange = Self.lrFinderRange(found.losses.map(Double.init))
        LineChart(series: [LineChart.Series(points, style: theme.style("loss.train"))], yRange: yRange, xScale: .log,
                  markers: [.init(x: Double(found.suggestion), label: "suggested", style: theme.style("accent"))])
            .render(into: &buffer, area: chartArea, context: app.context)
        let clipped = yRange.map { range in found.losses.contains { Double($0) > range.upperBound } } ?? false
        // The note on the cut axis goes first when both do not fit: the chart needs it to be read.
        let suggested = "lr \(shortNumber(Double(found.suggestion))) suggested: `set lr suggested`"
        let cut = clipped ? "y cut at 2× the start" : ""
        let line = cut.isEmpty ? suggested : suggested.count + cut.count + 3 <= area.width ? suggested + " · " + cut
            : "lr \(shortNumber(Double(found.suggestion))) suggested · " + cut
        buffer.write(line, x: area.x, y: area.y + area.height - 1, style: theme.style("text.dim"), maxWidth: area.width)
    }

    /// The range test's loss axis as fastai draws it: from the lowest loss to twice the loss the
    /// sweep started at, so the blow-up at the largest rates does not flatten the fall the
    /// lesson is about into the bottom row; nil (fit every point) when nothing blows up.
    static func lrFinderRange(_ losses: [Double]) -> ClosedRange<Double>? {
        let finite = losses.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), !finite.isEmpty else { return nil }
        let start = finite.prefix(5).sorted()[min(2, finite.prefix(5).count - 1)]
        let top = max(start * 2, low + 1e-6)
        return high > top ? low...top : nil
    }

    /// One row per layer: its weights' and gradients' histograms, the last update's size on a
    /// log scale with a guide at 10⁻³, and its saturated units; a layer in trouble in warning colour.
    private func renderHealth(into buffer: inout Buffer, area: Rect) {
        guard let health = app.snapshot?.health.filter({ $0.weights != nil || $0.saturated != nil }), !health.isEmpty else {
            renderHint("layer health appears after the first update", into: &buffer, area: area, context: app.context)
            return
        }
        let theme = app.context.theme, glyphs = app.context.glyphs
        let nameWidth = min(10, health.map(\.layer.count).max() ?? 6)
        let barWidth = max(6, min(16, (area.width - nameWidth - 24) / 3))
        func histogram(_ h: LayerHealth.Histogram?) -> String {
            guard let h else { return String(repeating: " ", count: barWidth) }
            let top = max(h.counts.max() ?? 1, 1)
            return (0..<barWidth).map { c in
                let bins = h.counts[(c * h.counts.count / barWidth)..<max((c + 1) * h.counts.count / barWidth, c * h.counts.count / barWidth + 1)]
                let n = bins.max() ?? 0
                return n == 0 ? " " : glyphs.bars[min(glyphs.bars.count - 1, n * (glyphs.bars.count - 1) / top)]
            }.joined()
        }
        /// 10⁻⁶ … 10⁰ across, `|` at 10⁻³, `●` at the ratio.
        func ratioBar(_ r: Float?) -> String {
            var cells = [String](repeating: glyphs.horizontal, count: barWidth)
            cells[barWidth / 2] = glyphs.vertical
            if let r, r > 0 {
                let t = (log10(Double(r)) + 6) / 6
                cells[min(barWidth - 1, max(0, Int(t * Double(barWidth - 1) + 0.5)))] = glyphs.currentPoint
            }
            return cells.joined()
        }
        func column(_ label: String, _ width: Int) -> String {
            String(label.prefix(width)).padding(toLength: width + 1, withPad: " ", startingAt: 0)
        }
        let header = column("layer", nameWidth) + column("weights", barWidth) + column("grads", barWidth)
            + column("Δw/w", barWidth) + "saturated"
        if area.height >= health.count + 3 {
            buffer.write("Δw/w: the last update's ‖Δw‖/‖w‖, 10⁻⁶…1, \(glyphs.vertical) = 10⁻³",
                         x: area.x, y: area.y + area.height - 1, style: theme.style("text.dim"), maxWidth: area.width)
        }
        // A layer in trouble says so in words, in the rows below the table, when they fit.
        let spare = area.height - health.count - 3
        if spare >= 1, let warning = health.flatMap(\.warnings).first {
            let words = Paragraph(warning, style: theme.style("warning"))
            let rows = min(spare, words.lineCount(width: area.width))
            words.render(into: &buffer, area: Rect(x: area.x, y: area.y + area.height - 1 - rows, width: area.width, height: rows),
                         context: app.context)
        }
        buffer.write(header, x: area.x, y: area.y, style: theme.style("text.dim"), maxWidth: area.width)
        for (row, h) in health.prefix(max(area.height - 1, 0)).enumerated() {
            let troubled = !h.warnings.isEmpty
            let style = troubled ? theme.style("warning") : theme.style("text")
            let saturated = h.saturated.map { " \(Int(($0 * 100).rounded()))%" + ($0 > 0.5 ? " \(h.saturationKind!.rawValue)" : "") } ?? ""
            let line = h.layer.prefix(nameWidth).padding(toLength: nameWidth + 1, withPad: " ", startingAt: 0)
                + histogram(h.weights) + " " + histogram(h.gradients) + " " + ratioBar(h.updateRatio) + saturated
            buffer.write(line, x: area.x, y: area.y + 1 + row, style: style, maxWidth: area.width)
        }
    }

    private func renderHistory(into buffer: inout Buffer, area: Rect) {
        guard let run = app.session.display.currentRun, !run.epochHistory.isEmpty else {
            renderHint("the history appears after the first epoch", into: &buffer, area: area, context: app.context)
            return
        }
        let metric = run.epochHistory.filter(\.isValidated).map { (x: Double($0.epoch), y: Double($0.validationMetric)) }
        buffer.write("val \(run.metricName) by epoch", x: area.x, y: area.y, style: app.context.theme.style("text.dim"), maxWidth: area.width)
        let chartArea = Rect(x: area.x, y: area.y + 1, width: area.width, height: max(area.height - 1, 0))
        LineChart(series: [LineChart.Series(metric, style: app.context.theme.style("accent"))])
            .render(into: &buffer, area: chartArea, context: app.context)
    }
}
