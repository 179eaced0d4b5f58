import TerminalUI
import WorkbenchCore
import Datasets

/// The data set, drawn the way its samples are best seen: a scatter coloured by class for 2-D
/// classes; the points and the model's fitted curve for 1-D regression; images as half-block
/// pictures with their labels; texts as words with their labels; sequences as lines; the first
/// rows as a table otherwise. Samples a command picked (`show misclassified`) replace the
/// first samples, with what they are in the title.
@MainActor
struct DataPane {
    let app: WorkbenchApp

    func render(into buffer: inout Buffer, area: Rect, focused: Bool) {
        let context = app.context
        guard let data = app.session.display.data else {
            let inner = framePane([Span("Data")], focused: focused, into: &buffer, area: area, context: context)
            renderHint("no data yet: type `data spiral` (or iris digits reviews sequence, circle xor moons …)",
                       into: &buffer, area: inner, context: context)
            return
        }
        let full = data.full, theme = context.theme
        let selection = app.session.display.selection
        let right = selection.map { [Span($0.title, theme.style("accent"))] } ?? Self.legend(full, context: context)
        // With a selection the title is short, so the selection's description fits beside it.
        let title = selection == nil ? full.summary : full.name
        let inner = framePane([Span("Data: ", theme.style("pane.title")), Span(title, theme.style("pane.title"))],
                              right: right, rightFirst: true, focused: focused, into: &buffer, area: area, context: context)
        // Without a selection: the first samples, as many as could show (a picture needs a cell
        // at least; no pane draws more than its cells), not an index per sample every frame.
        let rows = selection?.rows ?? Array(0..<min(full.count, max(inner.width * inner.height, 0)))
        switch full.kind {
        case .image:
            renderImages(full, rows: rows, total: selection?.total ?? full.count, labelled: selection == nil,
                         into: &buffer, area: inner)
        case .tokens: renderTexts(full, rows: rows, into: &buffer, area: inner)
        case .sequence: renderSequences(full, into: &buffer, area: inner)
        case .symbols: renderSymbols(full, rows: rows, into: &buffer, area: inner)
        case .table:
            if selection == nil, full.featureCount <= 2, renderPlot(full, into: &buffer, area: inner) { return }
            renderTable(full, labelTitle: Self.labelTitle(data), rows: selection?.rows, into: &buffer, area: inner)
        }
    }

    // MARK: - Tables and plots

    /// A scatter for 2-D classes, points and fitted curve for 1-D regression; false otherwise.
    private func renderPlot(_ full: Dataset, into buffer: inout Buffer, area: Rect) -> Bool {
        let d = full.featureCount
        if let classes = full.task.classCount, d == 2 {
            let points = (0..<full.count).map { i in
                ScatterPoint(x: Double(full.features.scalars[2 * i]), y: Double(full.features.scalars[2 * i + 1]),
                             group: Int(full.targets.scalars[i]) % max(classes, 1))
            }
            Scatter(points: points).render(into: &buffer, area: area, context: app.context)
            return true
        }
        guard full.task.classCount == nil, d == 1 else { return false }
        var points = (0..<full.count).map { i in
            ScatterPoint(x: Double(full.features.scalars[i]), y: Double(full.targets.scalars[i]), group: 0)
        }
        if let grid = app.session.display.data?.probeGrid, case .line(let count) = grid.kind,
           let output = app.snapshot?.probeOutput, output.count == count {
            points += (0..<count).map { ScatterPoint(x: grid.lineX($0), y: Double(output.scalars[$0]), group: 1) }
        }
        Scatter(points: points).render(into: &buffer, area: area, context: app.context)
        return true
    }

    /// Which mark or colour is which class, for 2-D scatters: `● 0 ● 1` in the class colours
    /// (class marks without colour).
    static func legend(_ data: Dataset, context: RenderContext) -> [Span] {
        guard let k = data.task.classCount, k <= 6, data.featureCount == 2, case .table = data.kind else { return [] }
        return (0..<k).flatMap { c -> [Span] in
            let mark = context.theme.usesColor ? context.glyphs.point : context.glyphs.classMark(c)
            let name = c < data.classNames.count ? data.classNames[c] : "\(c)"
            return [Span(mark, context.theme.classStyle(c)), Span(" \(name) ", context.theme.style("text.dim"))]
        }
    }

    /// The first features of rows spread over the set (`rows`, or the whole set when nil): as
    /// many columns as can show (each takes at least a character and a space), so a set of 784
    /// features formats a few dozen numbers a row, not all of them, on every frame; the label
    /// column comes last when every feature fits.
    private func renderTable(_ full: Dataset, labelTitle: String, rows: [Int]?, into buffer: inout Buffer, area: Rect) {
        let d = full.featureCount, fitting = min(d, area.width / 2 + 1)
        let label = fitting == d ? [labelTitle] : []
        let header = ["#"] + full.featureNames.prefix(fitting) + label
        // Rows spread over the whole set (bundled sets are often sorted by class), in order.
        let count = rows?.count ?? full.count
        let room = max(area.height - 1, 0)
        let picked = (0..<min(count, room)).map { i in
            let k = count <= room ? i : i * count / max(room, 1)
            return rows?[k] ?? k
        }
        let shown = picked.map { r -> [String] in
            [SamplePreview.position(r)] + (0..<fitting).map { shortNumber(Double(full.features.scalars[r * d + $0])) }
                + (label.isEmpty ? [] : [SamplePreview.label(of: full, row: r)])
        }
        var table = Table(header: header, rows: shown, alignments: Array(repeating: .right, count: header.count))
        let widths = table.columnWidths(available: area.width)
        table.header = zip(header, widths).map { Self.shortened($0, to: $1, ellipsis: app.context.glyphs.ellipsis) }
        table.render(into: &buffer, area: area, context: app.context)
    }

    /// The label column's title: its name in the learner's CSV file (`label=price_k`), else
    /// `class` or `target`.
    static func labelTitle(_ data: DataState) -> String {
        if case .csv(_, let label, _) = data.spec.source { return label }
        return data.full.task.classCount == nil ? "target" : "class"
    }

    /// A one-hot column's name (`garden=yes`) cut to `width` before its value (`gard…=yes`), so
    /// the columns of one category stay told apart (cut at the end, both read `garden=…`);
    /// other names, and a value too long to keep, are left for the table to cut.
    static func shortened(_ name: String, to width: Int, ellipsis: String) -> String {
        guard name.count > width, let equals = name.lastIndex(of: "=") else { return name }
        let value = name[equals...]
        let kept = width - value.count - ellipsis.count
        // Too narrow for the column's name too: the value tells one-hot columns apart (`=gre…`).
        guard kept >= 1 else { return value.count <= width ? String(value) : String(value.prefix(max(width - 1, 1))) + ellipsis }
        return String(name[..<equals].prefix(kept)) + ellipsis + value
    }

    // MARK: - Texts and sequences

    /// One text per line: its label in the class's colour, then its words.
    private func renderTexts(_ full: Dataset, rows: [Int], into buffer: inout Buffer, area: Rect) {
        let theme = app.context.theme
        let labelWidth = full.classNames.map(\.count).max() ?? 1
        for (line, row) in rows.prefix(area.height).enumerated() {
            let label = SamplePreview.label(of: full, row: row)
            let padded = label + String(repeating: " ", count: max(0, labelWidth - label.count))
            let spans = [Span(padded, theme.classStyle(Int(full.targets.scalars[row]))), Span("  "),
                         Span(SamplePreview.text(of: full, row: row) ?? "", theme.style("text"))]
                .truncated(to: area.width, ellipsis: app.context.glyphs.ellipsis)
            _ = buffer.write(spans, x: area.x, y: area.y + line, maxWidth: area.width)
        }
    }

    /// Problems and their answers, one per line: `2 0 1 1 0 2 → 0 0 1 1 2 2`, the answer (what
    /// the model must write) in the accent colour.
    private func renderSymbols(_ full: Dataset, rows: [Int], into buffer: inout Buffer, area: Rect) {
        let theme = app.context.theme
        let shown = rows.prefix(max(area.height - 1, 1))
        for (line, row) in shown.enumerated() {
            guard let sample = SamplePreview.symbols(of: full, row: row) else { continue }
            let spans = (sample.problem.isEmpty ? [Span(sample.answer, theme.style("text"))]
                : [Span(sample.problem, theme.style("text")), Span(" \(app.context.glyphs.arrow) ", theme.style("text.dim")),
                   Span(sample.answer, theme.style("accent"))])
                .truncated(to: area.width, ellipsis: app.context.glyphs.ellipsis)
            _ = buffer.write(spans, x: area.x, y: area.y + line, maxWidth: area.width)
        }
        guard area.height > shown.count, case .symbols(_, _, let prompt) = full.kind else { return }
        _ = buffer.write(prompt == 0 ? "windows of the text: at each character the model predicts the next"
                         : "problem \(app.context.glyphs.arrow) answer: the model writes the answer one symbol at a time",
                         x: area.x, y: area.y + shown.count, style: theme.style("text.dim"), maxWidth: area.width)
    }

    /// A few sequences as lines, each ending in the value to predict.
    private func renderSequences(_ full: Dataset, into buffer: inout Buffer, area: Rect) {
        let theme = app.context.theme
        let count = min(3, full.count)
        let series = (0..<count).compactMap { row in
            SamplePreview.sequence(of: full, row: row).map { s in
                LineChart.Series(values: s.values.map(Double.init) + [Double(s.next)], style: theme.classStyle(row))
            }
        }
        let chart = Rect(x: area.x, y: area.y, width: area.width, height: max(area.height - 1, 0))
        LineChart(series: series).render(into: &buffer, area: chart, context: app.context)
        _ = buffer.write("\(count) of \(full.count) sequences · last point: the value to predict",
                         x: area.x, y: area.y + area.height - 1, style: theme.style("text.dim"), maxWidth: area.width)
    }

    // MARK: - Images

    /// Images side by side, each under its label (or its row number, for a selection); one
    /// character per pixel column and two pixel rows per character row. Big images are shrunk
    /// by an integer factor until one fits.
    private func renderImages(_ full: Dataset, rows: [Int], total: Int, labelled: Bool, into buffer: inout Buffer,
                              area: Rect) {
        guard case let .image(h, w, _) = full.kind, area.width > 0, area.height > 1 else { return }
        var scale = 1
        while scale < max(h, w), (w / scale > area.width || (h / scale + 1) / 2 + 1 > area.height) { scale += 1 }
        let (ph, pw) = (max(h / scale, 1), max(w / scale, 1))
        let cellWidth = max(pw, 3), cellHeight = (ph + 1) / 2 + 1, gap = 2
        let perRow = max(1, (area.width + gap) / (cellWidth + gap))
        let bands = max(1, area.height / cellHeight)
        let shown = min(rows.count, perRow * bands)
        if area.height - bands * cellHeight >= 1 {
            let note = labelled ? "\(shown) of \(full.count) images, each under its label"
                                : "\(shown) of \(total) picked · #N is the sample's row in the data set"
            _ = buffer.write(note, x: area.x, y: area.y + area.height - 1, style: app.context.theme.style("text.dim"),
                             maxWidth: area.width)
        }
        for (i, row) in rows.prefix(shown).enumerated() {
            guard let image = SamplePreview.image(of: full, row: row) else { continue }
            let x = area.x + (i % perRow) * (cellWidth + gap), y = area.y + (i / perRow) * cellHeight
            let caption = labelled ? SamplePreview.label(of: full, row: row) : SamplePreview.number(row)
            _ = buffer.write(caption, x: x, y: y, style: app.context.theme.classStyle(Int(full.targets.scalars[row])),
                             maxWidth: cellWidth)
            let pixels = shrink(image.pixels, height: h, width: w, by: scale)
            drawImage(pixels, height: ph, width: pw, at: (x, y + 1), into: &buffer)
        }
    }

    /// The mean of each `scale`×`scale` block.
    private func shrink(_ pixels: [Float], height h: Int, width w: Int, by scale: Int) -> [Float] {
        guard scale > 1 else { return pixels }
        let (ph, pw) = (max(h / scale, 1), max(w / scale, 1))
        return (0..<(ph * pw)).map { i in
            let (y0, x0) = ((i / pw) * scale, (i % pw) * scale)
            var sum: Float = 0, n: Float = 0
            for y in y0..<min(y0 + scale, h) { for x in x0..<min(x0 + scale, w) { sum += pixels[y * w + x]; n += 1 } }
            return n > 0 ? sum / n : 0
        }
    }

    /// Two pixel rows per cell: ▀ ▄ █ or a space where the ink is, in grey levels when the
    /// theme has colour (foreground the upper pixel, background the lower); shade characters
    /// without half blocks.
    private func drawImage(_ pixels: [Float], height h: Int, width w: Int, at origin: (x: Int, y: Int),
                           into buffer: inout Buffer) {
        let glyphs = app.context.glyphs, theme = app.context.theme
        let colored = theme.usesColor && glyphs.usesHalfBlocks
        func grey(_ v: Float) -> Color { .indexed(232 + UInt8(min(23, max(0, Int((v * 23).rounded()))))) }
        for cy in 0..<((h + 1) / 2) {
            for x in 0..<w {
                let top = pixels[2 * cy * w + x], bottom = 2 * cy + 1 < h ? pixels[(2 * cy + 1) * w + x] : 0
                let (upper, lower) = (top > 0.3, bottom > 0.3)
                var cell: Cell
                if !glyphs.usesHalfBlocks {
                    let level = Int((min(1, max(0, (top + bottom) / 2)) * Float(glyphs.shades.count - 1)).rounded())
                    cell = Cell(glyphs.shades[level], style: theme.style("text"))
                } else {
                    let symbol = upper && lower ? glyphs.bars[7] : (upper ? glyphs.upperHalfBlock : (lower ? glyphs.bars[3] : " "))
                    cell = Cell(symbol, style: theme.style("text"))
                    if colored {
                        let (fg, bg) = lower && !upper ? (bottom, top) : (top, bottom)
                        cell.style = Style(foreground: grey(upper && lower ? (top + bottom) / 2 : fg), background: grey(bg))
                    }
                }
                buffer[origin.x + x, origin.y + cy] = cell
            }
        }
    }
}

/// Four significant digits, as the tables show numbers.
func shortNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x == 0 { return "0" }
    return String(format: "%.4g", x)
}
