import TensorCore
import NeuralEngine
import Datasets
import CommandLanguage

extension Session {
    /// `show misclassified TRUE PRED`: the validation samples of class TRUE that the model
    /// predicts as PRED (one cell of `show confusion`), printed — digits as text art, texts as
    /// words, table rows as numbers — and kept as the data's selection for the data pane.
    /// After `cv` the cell is one of the pooled out-of-fold confusion matrix, over every sample.
    func showMisclassified(_ c: Command) throws(SessionError) {
        guard let data else { throw SessionError("no data yet: try `data digits`") }
        guard let k = data.task.classCount else {
            throw SessionError("show misclassified needs classes; this data is regression: try `show fit`")
        }
        guard let a = active else { throw noLiveModel() }
        guard !isBusy else { throw SessionError("show misclassified: wait for the run to end (or `stop` it)") }
        let t = try classIndex(c.positional(1), in: data.full, classes: k, role: "true class")
        let p = try classIndex(c.positional(2), in: data.full, classes: k, role: "predicted class")
        let rows: [Int], predicted: [Int], scope: String
        if let cv = crossValidation, cv.summaryIndex == a.recordIndex, let oof = cv.outOfFoldClasses() {
            rows = Array(0..<data.full.count)
            predicted = oof
            scope = "samples (out-of-fold predictions of cv)"
        } else {
            rows = data.validationRows
            predicted = Self.predictedClasses(a.trainer, data.validation.features)
            scope = "validation samples"
        }
        let truth = data.full.labels
        let picked = zip(rows, predicted).filter { truth[$0.0] == t && $0.1 == p }.map(\.0)
        let names = data.full.classNames
        let cell = "true \(names[t]), predicted \(names[p])"
        guard !picked.isEmpty else {
            self.data?.selection = nil
            say("\(cell): none of the \(rows.count) \(scope)")
            return
        }
        self.data?.selection = SampleSelection(title: "\(cell) (\(picked.count))", rows: Array(picked.prefix(60)),
                                               total: picked.count)
        say("\(cell): \(picked.count) of \(rows.count) \(scope)" + (t == p ? " (these are right)" : "")
            + "; #N is the sample's row in the data set; the data pane shows them")
        let shown = Array(picked.prefix(12))
        for line in Self.describe(shown, of: data.full) { say(line) }
        if picked.count > shown.count { say("… and \(picked.count - shown.count) more") }
    }

    /// Rows of `data` as text: images side by side (six to a band), texts one per line, table
    /// rows as a table; each with its label when `labelled`.
    static func describe(_ rows: [Int], of data: Dataset, labelled: Bool = false) -> [String] {
        func caption(_ row: Int) -> String { labelled ? "#\(row): \(SamplePreview.label(of: data, row: row))" : "#\(row)" }
        switch data.kind {
        case .image:
            var lines: [String] = []
            for start in stride(from: 0, to: rows.count, by: 6) {
                let band = rows[start..<min(start + 6, rows.count)]
                let blocks = band.compactMap { SamplePreview.image(of: data, row: $0) }
                    .map { SamplePreview.art(height: $0.height, width: $0.width, pixels: $0.pixels) }
                lines += SamplePreview.sideBySide(blocks, captions: band.map(caption))
            }
            return lines
        case .tokens:
            return rows.map { "\(caption($0))  \(SamplePreview.text(of: data, row: $0) ?? "")" }
        case .sequence:
            return rows.compactMap { row in
                SamplePreview.sequence(of: data, row: row).map { s in
                    "#\(row)  " + s.values.map { fmt($0) }.joined(separator: " ") + "  → \(fmt(s.next))"
                }
            }
        case .table:
            let d = data.featureCount
            return table([["#"] + data.featureNames + (labelled ? ["label"] : [])] + rows.map { row in
                ["#\(row)"] + (0..<d).map { fmt(data.features.scalars[row * d + $0]) }
                    + (labelled ? [SamplePreview.label(of: data, row: row)] : [])
            })
        }
    }

    /// The class a `show misclassified` argument names: an index or a class name.
    private func classIndex(_ value: Value?, in data: Dataset, classes k: Int, role: String) throws(SessionError) -> Int {
        let names = data.classNames
        if let word = value?.text, let i = names.firstIndex(of: word) { return i }
        if let n = value?.integer, n >= 0, n < k { return n }
        throw SessionError("show misclassified: unknown \(role) '\(value?.description ?? "")'; expected 0…\(k - 1)"
                           + " or one of " + names.joined(separator: ", "))
    }

    /// The class the trainer's model predicts for each row of `x` (evaluation mode).
    static func predictedClasses(_ trainer: Trainer, _ x: Tensor) -> [Int] {
        var predicted: [Int] = []
        var start = 0
        while start < x.rows {
            let end = min(start + 1024, x.rows)
            guard let output = try? trainer.model.forward(x.rows(start..<end), training: false) else { return predicted }
            predicted += output.columns == 1
                ? output.scalars.map { $0 > trainer.loss.decisionThreshold ? 1 : 0 }
                : output.argmaxPerRow()
            start = end
        }
        return predicted
    }
}
