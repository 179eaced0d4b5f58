import Foundation
import TensorCore
import NeuralEngine
import CommandLanguage
import Models

// MARK: - export plot: the screen's charts as standalone SVG files

extension ModelCommands {
    /// The SVG of `chart` (loss, contour, boundary, confusion) for the current run.
    func plot(_ chart: PlotChart) throws(DescentError) -> String {
        guard let record = bench.currentRecord else { throw DescentError("export plot: no run yet: `train` first") }
        let palette = bench.frontEnd.plotPalette
        let subtitle = "run \(record.id): \(record.modelName) on \(record.dataName)"
        switch chart {
        case .loss:
            let history = record.epochHistory
            guard !history.isEmpty else { throw DescentError("export plot loss: no epoch finished yet") }
            let values = history.flatMap { [$0.trainLoss, $0.validationLoss] }.filter(\.isFinite).map(Double.init)
            guard let lo = values.min(), let hi = values.max() else { throw DescentError("export plot loss: no finite loss") }
            let log = lo > 0 && hi / lo > 30
            var c = SVGChart(title: "Loss, \(subtitle)", xLabel: "epoch", yLabel: "loss" + (log ? " (log scale)" : ""),
                             x: 0...Double(history.last!.epoch), y: log ? lo...hi : min(0, lo)...hi * 1.05, palette: palette, logY: log)
            c.line(history.map { (Double($0.epoch), Double($0.trainLoss)) }, colour: palette.train, label: "training loss")
            if history.contains(where: { $0.validationLoss.isFinite }) {
                c.line(history.filter(\.isValidated).map { (Double($0.epoch), Double($0.validationLoss)) }, colour: palette.validation,
                       label: "validation loss")
            }
            return c.svg
        case .contour:
            guard let surface = Display(bench: bench, models: self).lossSurface(reusing: nil), !surface.values.isEmpty else {
                throw DescentError("export plot contour needs a model with exactly two parameters (w and b), e.g. "
                                   + "`data linear` then `model linear`")
            }
            var c = SVGChart(title: "Loss J(w, b), \(subtitle)", xLabel: "w", yLabel: "b",
                             x: surface.wRange, y: surface.bRange, palette: palette)
            let finite = surface.values.flatMap { $0 }.filter(\.isFinite)
            let lo = log(max(finite.min() ?? 1, 1e-12)), hi = log(max(finite.max() ?? 1, 1e-12))
            let rows = surface.values.count, columns = surface.values[0].count
            c.cells(columns: columns, rows: rows) { col, row in
                let v = surface.values[row][col]
                return palette.ramp(v.isFinite ? (log(max(v, 1e-12)) - lo) / max(hi - lo, 1e-12) : 1)
            }
            c.line(record.path.points.map { (Double($0.w), Double($0.b)) }, colour: palette.path, label: "descent path", width: 1.5)
            if let start = record.path.points.first { c.marker((Double(start.w), Double(start.b)), colour: palette.train, label: "start") }
            c.marker((surface.minimum.w, surface.minimum.b), colour: palette.validation, label: "minimum")
            c.addLegend("low J", colour: palette.ramp(0))
            c.addLegend("high J", colour: palette.ramp(1))
            return c.svg
        case .boundary:
            guard let run = runs.current, let grid = run.data.probeGrid, case .plane(let columns, let rows) = grid.kind,
                  let classes = run.data.task.classCount else {
                throw DescentError("export plot boundary needs 2-D classification data and its model, e.g. `data spiral`")
            }
            if case .driven? = runs.currentPhase { throw DescentError("export plot boundary: wait for the run to end (or `stop` it)") }
            let output: Tensor
            do { output = try run.trainer.model.predict(grid.points) } catch { throw DescentError("export plot: \(error)") }
            let k = output.columns
            var c = SVGChart(title: "Decision boundary, \(subtitle)", xLabel: run.data.full.featureNames[0],
                             yLabel: run.data.full.featureNames[1], x: grid.xRange, y: grid.yRange, palette: palette)
            c.cells(columns: columns, rows: rows) { col, row in
                let i = row * columns + col
                let p = Array(output.scalars[i * k..<(i + 1) * k])
                let (cls, confidence): (Int, Double) = k == 1
                    ? (p[0] > (record.loss == .hinge ? 0 : 0.5) ? 1 : 0, record.loss == .hinge ? 1 : Double(abs(p[0] - 0.5) * 2))
                    : (p.indices.max { p[$0] < p[$1] } ?? 0, Double(p.max() ?? 0))
                return Self.mix(palette.classColour(cls), palette.background, 0.25 + 0.5 * confidence)
            }
            let full = run.data.full
            for cls in 0..<classes {
                let points = (0..<full.count).filter { Int(full.targets.scalars[$0]) == cls }
                    .map { (Double(full.features.scalars[$0 * 2]), Double(full.features.scalars[$0 * 2 + 1])) }
                c.dots(points, colour: palette.classColour(cls), label: full.classNames[cls])
            }
            return c.svg
        case .confusion:
            guard let matrix = record.validationEvaluation?.confusion ?? Display(bench: bench, models: self).latestSnapshot?.validation?.confusion else {
                throw DescentError("export plot confusion needs a finished classifier run")
            }
            let n = matrix.classes
            let names = data?.full.classNames.count == n ? data!.full.classNames : (0..<n).map(String.init)
            var c = SVGChart(title: "Confusion matrix (validation), \(subtitle)", xLabel: "predicted", yLabel: "true",
                             x: 0...Double(n), y: 0...Double(n), palette: palette)
            c.xTickLabels = names.enumerated().map { (Double($0.offset) + 0.5, $0.element) }
            c.yTickLabels = names.enumerated().map { (Double(n - 1 - $0.offset) + 0.5, $0.element) }
            let largest = Double(matrix.counts.flatMap { $0 }.max() ?? 1)
            c.cells(columns: n, rows: n, colour: { col, row in palette.ramp(Double(matrix.counts[row][col]) / max(largest, 1)) },
                    text: { col, row in "\(matrix.counts[row][col])" })
            c.addLegend("accuracy \(String(format: "%.3f", matrix.accuracy))", colour: palette.ramp(1))
            return c.svg
        }
    }

    /// `a` over `b` with weight t (0: b, 1: a), both `#rrggbb`.
    static func mix(_ a: String, _ b: String, _ t: Double) -> String {
        func rgb(_ s: String) -> [Double] {
            let v = Int(s.dropFirst(), radix: 16) ?? 0
            return [Double(v >> 16 & 0xFF), Double(v >> 8 & 0xFF), Double(v & 0xFF)]
        }
        let (x, y) = (rgb(a), rgb(b))
        return "#" + zip(x, y).map { String(format: "%02x", Int(($1 + ($0 - $1) * max(0, min(1, t))).rounded())) }.joined()
    }
}
