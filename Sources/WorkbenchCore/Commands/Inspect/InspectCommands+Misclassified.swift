import TensorCore
import NeuralEngine
import Datasets
import CommandLanguage
import Models

extension InspectCommands {
    /// `show misclassified TRUE PRED`: the validation samples of class TRUE that the model
    /// predicts as PRED (one cell of `show confusion`), printed — digits as text art, texts as
    /// words, table rows as numbers — and kept as the data's selection for the data pane.
    /// `show misclassified worst` picks the off-diagonal cell with the most samples. After `cv`
    /// the cell is one of the pooled out-of-fold confusion matrix, over every sample.
    func showMisclassified(_ c: Command) throws(DescentError) {
        guard let data else { throw DescentError("no data yet: try `data digits`") }
        guard let k = data.task.classCount else {
            throw DescentError("show misclassified needs classes; this data is regression: try `show fit`")
        }
        guard let record = bench.currentRecord else { throw runs.noLiveModel() }
        guard !runs.isBusy else { throw DescentError("show misclassified: wait for the run to end (or `stop` it)") }
        let rows: [Int], predicted: [Int], scope: String
        if let cv = runs.experiment(of: CrossValidation.self, where: { $0.summaryID == record.id }),
           let oof = cv.outOfFoldClasses() {
            rows = Array(0..<data.full.count)
            predicted = oof
            scope = "samples (out-of-fold predictions of cv)"
        } else if let run = runs.current {
            rows = run.data.validationRows
            predicted = run.trainer.predictedClasses(run.data.validation.features)
            scope = "validation samples"
        } else {
            throw runs.noLiveModel()
        }
        let truth = data.full.labels
        let t: Int, p: Int
        if c.positional(1)?.text == "worst" {
            guard c.positional(2) == nil else {
                throw DescentError("show misclassified worst: takes no classes; it picks the most frequent confusion")
            }
            var counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
            for (row, guess) in zip(rows, predicted) { counts[truth[row]][guess] += 1 }
            let cells = (0..<k).flatMap { t in (0..<k).filter { $0 != t }.map { (t, $0) } }
            guard let worst = cells.max(by: { counts[$0.0][$0.1] < counts[$1.0][$1.1] }), counts[worst.0][worst.1] > 0 else {
                bench.views.selection = nil
                bench.say("no mistakes: every one of the \(rows.count) \(scope) is right")
                return
            }
            (t, p) = worst
        } else {
            guard c.positional(2) != nil else {
                throw DescentError("show misclassified: expected TRUE PRED (two classes), or `worst`")
            }
            t = try classIndex(c.positional(1), in: data.full, classes: k, role: "true class")
            p = try classIndex(c.positional(2), in: data.full, classes: k, role: "predicted class")
        }
        let picked = zip(rows, predicted).filter { truth[$0.0] == t && $0.1 == p }.map(\.0)
        let names = data.full.classNames
        let cell = "true \(names[t]), predicted \(names[p])"
        guard !picked.isEmpty else {
            bench.views.selection = nil
            bench.say("\(cell): none of the \(rows.count) \(scope)")
            return
        }
        bench.views.selection = SampleSelection(title: "\(cell) (\(picked.count))", rows: Array(picked.prefix(60)),
                                               total: picked.count, run: bench.currentRecord?.id)
        bench.say("\(cell): \(picked.count) of \(rows.count) \(scope)" + (t == p ? " (these are right)" : "")
            + "; #N is the sample's row in the data set" + (bench.frontEnd.screenNote == nil ? "; the data pane shows them (F2 brings it)" : ""))
        let shown = Array(picked.prefix(12))
        for line in Self.describe(shown, of: data.full, schema: data.schema) { bench.say(line, .table) }
        if picked.count > shown.count { bench.say("… and \(picked.count - shown.count) more") }
    }

    /// Rows of `data` as text: images side by side (six to a band), texts one per line, table
    /// rows as a table, in their columns as the file has them (`schema`: a category by its value,
    /// not its one-hot columns); each with its label when `labelled`.
    static func describe(_ rows: [Int], of data: Dataset, schema: InputSchema? = nil, labelled: Bool = false) -> [String] {
        func caption(_ row: Int) -> String {
            labelled ? "\(SamplePreview.number(row)): \(SamplePreview.label(of: data, row: row))" : SamplePreview.number(row)
        }
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
        case .symbols:
            return rows.compactMap { row in
                SamplePreview.symbols(of: data, row: row).map {
                    $0.problem.isEmpty ? "\(SamplePreview.number(row))  \($0.answer)" : "\(SamplePreview.number(row))  \($0.problem)  →  \($0.answer)"
                }
            }
        case .sequence:
            return rows.compactMap { row in
                SamplePreview.sequence(of: data, row: row).map { s in
                    SamplePreview.number(row) + "  " + s.values.map { fmt($0) }.joined(separator: " ") + "  → \(fmt(s.next))"
                }
            }
        case .table:
            let d = data.featureCount
            // Categories one-hot encoded: each row as the file has it.
            let cells = rows.compactMap { schema?.cells(of: data.features.scalars[($0 * d)..<(($0 + 1) * d)]) }
            if let schema, case .columns(let columns) = schema.form, columns.count < d, cells.count == rows.count {
                return table([["#"] + columns.map(\.name) + (labelled ? ["label"] : [])] + zip(rows, cells).map { row, cells in
                    [SamplePreview.number(row)] + cells.map { if case .number(let x) = $0 { fmt(x) } else { $0.word } }
                        + (labelled ? [SamplePreview.label(of: data, row: row)] : [])
                })
            }
            return table([["#"] + data.featureNames + (labelled ? ["label"] : [])] + rows.map { row in
                [SamplePreview.number(row)] + (0..<d).map { fmt(data.features.scalars[row * d + $0]) }
                    + (labelled ? [SamplePreview.label(of: data, row: row)] : [])
            })
        }
    }

    /// The class a `show misclassified` argument names: an index or a class name.
    private func classIndex(_ value: Value?, in data: Dataset, classes k: Int, role: String) throws(DescentError) -> Int {
        // Classes go by their names (a digit's name is the digit). Where no name is a number, a
        // number is the class's place in the list, counted from 1, and 0 the first counted from 0
        // (`Help.countingRule`).
        let names = data.classNames
        if let spelled = value?.text ?? value?.integer.map(String.init), let i = names.firstIndex(of: spelled) { return i }
        let numbered = names.contains { Int($0) != nil }
        if !numbered, let n = value?.integer, n >= 0, n <= k {
            if n == 0 { bench.say("(\(role) 0 read as counting from 0: Descent counts from 1, so it is \(names[0]))", .info) }
            return max(n - 1, 0)
        }
        throw DescentError("show misclassified: unknown \(role) \(excerpt(value?.description ?? "")); expected one of "
                           + names.joined(separator: ", ") + (numbered ? "" : " (or its place in that list, 1…\(k))"))
    }
}
