import TerminalUI
import WorkbenchCore
import Training

/// Train loss per update (bucketed, EMA-smoothed) and validation loss per epoch, with markers
/// where the learner changed a setting during the run.
@MainActor
struct LossPane {
    let app: WorkbenchApp

    func render(into buffer: inout Buffer, area: Rect, focused: Bool) {
        let context = app.context
        let theme = context.theme
        let glyphs = context.glyphs
        let solid = glyphs.usesBraille ? "━" : "-", dashed = glyphs.usesBraille ? "┄" : "."
        // While stepping by hand each point is one update's own batch: say so, since the curve
        // can rise while the step's explanation says this batch's loss fell.
        let stepping = app.session.display.hasSteppedRun
        var title: [Span] = [Span("Loss ", theme.style("pane.title")),
                             Span((stepping ? "batch " : "train ") + solid, theme.style("loss.train")), Span(" "),
                             Span("val \(dashed)", theme.style("loss.val"))]
        if app.logScale { title.append(Span(" log", theme.style("accent"))) }
        if app.smoothing > 0 { title.append(Span(" ema \(shortNumber(app.smoothing))", theme.style("text.dim"))) }
        let shown = app.session.display.shownRuns
        if shown.count > 1 { return renderComparison(shown, into: &buffer, area: area, focused: focused) }
        guard let run = app.session.display.currentRun, run.lossHistory.count > 0 else {
            let inner = framePane(title, focused: focused, into: &buffer, area: area, context: context)
            let hint = if let run = app.session.display.currentRun, run.loadedUpdates != nil {
                // `load`, `reopen`: the model is there, its per-update curve is not.
                run.kept.map { "@\($0) reopened at epoch \(run.epochs) (`runs show @\($0)` lists its epochs): `train` draws the loss from here on" }
                    ?? "\(run.name ?? "the model") loaded as saved at epoch \(run.epochs) (a file keeps no curve): `train` draws the loss from here on"
            } else if app.session.display.records.isEmpty {
                "no run yet: `train` draws the loss here, live"
            } else {
                "no run for this set-up yet: `train` draws its loss here (`runs` lists the earlier ones)"
            }
            renderHint(hint, into: &buffer, area: inner, context: context)
            return
        }
        let progress = run.plannedEpochs > 0 ? run.epochProgress : "update \(run.updates)"
        var right: [Span] = [Span("run \(run.id) · " + (stepping ? "a point per batch" : "\(progress) · x: updates"),
                                  theme.style("text.dim"))]
        if run.droppedEvents > 0 { right.append(Span(" · \(run.droppedEvents) dropped", theme.style("warning"))) }
        let inner = framePane(title, right: right, focused: focused, into: &buffer, area: area, context: context)
        var markers = run.markers.map { LineChart.Marker(x: Double($0.update), label: $0.label) }
        if let rewound = app.session.display.views.rewound, rewound.run == run.id {
            markers.append(.init(x: Double(rewound.update), label: "epoch \(rewound.epoch)", style: theme.style("accent")))
        }
        let rungs = app.snapshot?.ladder ?? []
        let ladderWidth = rungs.isEmpty || inner.width < 56 ? 0 : min(inner.width / 2, 8 + (rungs.map(\.sample.count).max() ?? 0))
        let chartArea = Rect(x: inner.x, y: inner.y, width: inner.width - (ladderWidth > 0 ? ladderWidth + 1 : 0), height: inner.height)
        let chart = LineChart(series: Self.series(run, smoothing: app.smoothing, theme: theme,
                                                  resolution: max(chartArea.width * 2, 8)),
                              yScale: app.logScale ? .log : .linear, markers: markers)
        chart.render(into: &buffer, area: chartArea, context: context)
        if ladderWidth > 0 {
            renderLadder(rungs, into: &buffer, area: Rect(x: inner.x + inner.width - ladderWidth, y: inner.y,
                                                         width: ladderWidth, height: inner.height))
        }
    }

    /// The loss ladder beside the chart: each milestone's smoothed loss and what the model wrote
    /// then, the latest rungs when they do not all fit; a right answer marked ✓ in the `ok`
    /// colour, a wrong one ✗ in `error`.
    private func renderLadder(_ rungs: [LossLadder.Rung], into buffer: inout Buffer, area: Rect) {
        let theme = app.context.theme
        _ = buffer.write("loss  wrote", x: area.x, y: area.y, style: theme.style("text.dim"), maxWidth: area.width)
        for (line, rung) in rungs.suffix(max(area.height - 1, 0)).enumerated() {
            let style = rung.right.map { theme.style($0 ? "ok" : "error") } ?? theme.style("text")
            let spans = [Span(shortNumber(Double(rung.loss)).padding(toLength: 5, withPad: " ", startingAt: 0) + " ", theme.style("chart.label")),
                         Span(rung.sample + (rung.right.map { $0 ? " ✓" : " ✗" } ?? ""), style)]
                .truncated(to: area.width, ellipsis: app.context.glyphs.ellipsis)
            _ = buffer.write(spans, x: area.x, y: area.y + 1 + line, maxWidth: area.width)
        }
    }

    /// Several runs' training losses in one chart, one colour each, named in the title: an
    /// optimizer race, or `compare RUN …`.
    private func renderComparison(_ runs: [RunRecord], into buffer: inout Buffer, area: Rect, focused: Bool) {
        let context = app.context, theme = context.theme
        var title: [Span] = [Span("Loss ", theme.style("pane.title"))]
        // A run's name when it has one; otherwise its optimizer, and its number when two share one.
        // A run of an earlier session goes by its number in the run store (`@12 base`).
        let names = runs.map { $0.shownAs ?? $0.name ?? $0.setup.optimizer.kind.rawValue }
        let labels = runs.enumerated().map { i, run in
            names[i] + (run.name == nil && run.shownAs == nil && names.filter { $0 == names[i] }.count > 1 ? " #\(run.id)" : "")
        }
        let mark = context.glyphs.usesBraille ? "━" : "-"
        // In a narrow pane every run keeps a place in the legend: names cut alike, not the last ones lost.
        let room = area.width - 4 - "Loss ".count
        let whole = labels.map { "\(mark) \($0)  " }
        let cut = max(3, room / max(labels.count, 1) - 2)
        let legend = whole.joined().count <= room ? whole : labels.map { "\(mark)\($0.count > cut ? String($0.prefix(cut - 1)) + "…" : $0) " }
        for (i, entry) in legend.enumerated() { title.append(Span(entry, theme.classStyle(i))) }
        // One curve far above the others (a diverged run) flattens them: offer the log scale
        // first in the title, where it is never cut.
        let tops = runs.map { $0.lossHistory.buckets.map(\.max).filter(\.isFinite).max() ?? 0 }.sorted()
        let flattened = tops.count >= 2 && tops[tops.count - 1] > 20 * max(tops[tops.count - 2], 1e-12)
        if app.logScale { title.insert(Span("log ", theme.style("accent")), at: 1) }
        else if flattened { title.insert(Span("(F6: log) ", theme.style("accent")), at: 1) }
        let epochs = runs.map(\.epochs).max() ?? 0
        let numbers = runs.map { run in run.shownAs != nil ? run.kept.map { "@\($0)" } ?? "?" : "\(run.id)" }
        let right = [Span("runs \(numbers.joined(separator: ",")) · epoch \(epochs) · x: updates", theme.style("text.dim"))]
        let inner = framePane(title, right: right, focused: focused, into: &buffer, area: area, context: context)
        let series = runs.enumerated().map { i, run in
            LineChart.Series(Self.trainPoints(run, smoothing: app.smoothing, resolution: max(inner.width * 2, 8)),
                             style: theme.classStyle(i))
        }
        LineChart(series: series, yScale: app.logScale ? .log : .linear).render(into: &buffer, area: inner, context: context)
    }

    /// The train series (bucket means averaged down to about `resolution` points — one per
    /// braille column — then smoothed) and the validation series (one point per epoch).
    static func series(_ run: RunRecord, smoothing: Double, theme: Theme, resolution: Int) -> [LineChart.Series] {
        let validation = run.epochHistory.filter { $0.validationLoss.isFinite }
            .map { (x: Double($0.update), y: Double($0.validationLoss)) }
        return [LineChart.Series(trainPoints(run, smoothing: smoothing, resolution: resolution), style: theme.style("loss.train")),
                LineChart.Series(validation, style: theme.style("loss.val"), connected: false)]
    }

    /// The training loss per update: bucket means averaged down to about `resolution` points,
    /// then smoothed.
    static func trainPoints(_ run: RunRecord, smoothing: Double, resolution: Int) -> [(x: Double, y: Double)] {
        let buckets = run.lossHistory.buckets
        let group = max(1, (buckets.count + resolution - 1) / resolution)
        var xs: [Double] = [], means: [Double] = []
        var start = 0
        while start < buckets.count {
            let slice = buckets[start..<min(start + group, buckets.count)]
            let count = slice.reduce(0) { $0 + $1.count }
            xs.append(Double(slice.first!.firstIndex) + Double(count) / 2)
            means.append(slice.reduce(0.0) { $0 + $1.sum } / Double(max(count, 1)))
            start += group
        }
        return Array(zip(xs, Smoothing.debiasedEMA(means, weight: smoothing)).map { (x: $0.0, y: $0.1) })
    }
}

/// TensorBoard's smoothing: an exponential moving average with the bias of its zero start
/// removed, s_t = (w·s_{t−1} + (1−w)·x_t), reported as s_t / (1 − w^t).
enum Smoothing {
    static func debiasedEMA(_ values: [Double], weight w: Double) -> [Double] {
        guard w > 0 else { return values }
        var s = 0.0, correction = 1.0
        return values.map { x in
            guard x.isFinite else { return x }
            s = w * s + (1 - w) * x
            correction *= w
            return s / (1 - correction)
        }
    }
}
