import Foundation
import TensorCore

/// How a CSV file's label column is read.
public enum LabelTreatment: String, Sendable, CaseIterable, Codable {
    /// Text labels, or integers with at most 10 distinct values, are classes; other numbers regress.
    case automatic
    case classification
    case regression
}

/// A table loaded from a CSV file, with what the loader did to it for the learner to see.
public struct CSVImport: Equatable, Sendable {
    /// A categorical column replaced by one 0/1 column per category (`name=category`).
    public struct OneHot: Equatable, Sendable {
        public let column: String
        public let categories: [String]

        public init(column: String, categories: [String]) {
            self.column = column
            self.categories = categories
        }
    }

    /// Raw values (not standardised: fit a `Standardizer` on the training split).
    public let dataset: Dataset
    public let oneHot: [OneHot]
    /// For classification, the label as written in the file for each class index.
    public let classMapping: [String]
    /// Lines describing the import: rows, features, encodings, label mapping.
    public let report: [String]
}

extension Dataset {
    /// Loads a CSV file with a header row; `label` names the target column, every other column is
    /// a feature.
    ///
    /// A feature column is numeric when more than half its cells are numbers; then every cell must
    /// be one. Otherwise it is categorical and one-hot encoded, categories sorted (at most 50).
    /// Missing cells (empty, `NA`, `N/A`, `nan`, `null`, `?`, `-`) are an error listing where they
    /// are unless `options.missing` says to drop their rows or fill them — never filled in
    /// silently: the report says how many. Every error names the file, the line and the column.
    public static func csv(path: String, label: String, labelTreatment: LabelTreatment = .automatic,
                           options: CSVOptions = CSVOptions()) throws(DatasetError) -> CSVImport {
        try csv(table: try CSVTable(path: path, options: options), label: label, labelTreatment: labelTreatment,
                missing: options.missing)
    }

    /// The CSV file's `bytes` (errors name `path`); `label` as for `csv(path:label:)`.
    public static func csv(bytes: [UInt8], path: String, label: String, labelTreatment: LabelTreatment = .automatic,
                           options: CSVOptions = CSVOptions()) throws(DatasetError) -> CSVImport {
        try csv(table: try CSVTable(bytes: bytes, path: path, options: options), label: label,
                labelTreatment: labelTreatment, missing: options.missing)
    }

    static func csv(table original: CSVTable, label: String, labelTreatment: LabelTreatment,
                    missing rule: CSVOptions.Missing = .error) throws(DatasetError) -> CSVImport {
        var table = original
        let path = table.path
        let header = table.header
        guard let labelColumn = header.firstIndex(of: label) else {
            throw .badFile(path: path, location: "line 1",
                           expected: "a label column, one of \(header.map { "\"\($0)\"" }.joined(separator: ", "))",
                           got: "\"\(label)\"")
        }
        var notes: [String] = []
        if table.separator != "," || table.decimalComma {
            notes.append("read as \(CSVTable.name(of: table.separator, plural: false))-separated"
                         + (table.decimalComma ? ", numbers with decimal commas" : ""))
        }
        notes += try fillMissing(&table, labelColumn: labelColumn, rule: rule)
        var columns: [[Float]] = [], names: [String] = [], oneHot: [CSVImport.OneHot] = []
        var numericCount = 0
        for c in header.indices where c != labelColumn {
            let cells = table.rows.map { $0.cells[c] }
            let numbers = cells.map { Double($0) }
            if numbers.filter({ $0 != nil }).count * 2 > cells.count {
                if let bad = numbers.firstIndex(where: { !Self.isFloat($0) }) {
                    throw .badFile(path: path, location: "line \(table.rows[bad].line), column \"\(header[c])\"",
                                   expected: "\(Self.numberExpected(numbers[bad])) (the column is numeric)", got: "\"\(cells[bad])\"")
                }
                columns.append(numbers.map { Float($0!) })
                names.append(header[c])
                numericCount += 1
            } else {
                let categories = Array(Set(cells)).sorted()
                guard categories.count <= 50 else {
                    throw .badFile(path: path, location: "column \"\(header[c])\"",
                                   expected: "numbers, or at most 50 categories to one-hot encode",
                                   got: "\(categories.count) distinct texts")
                }
                for category in categories {
                    columns.append(cells.map { $0 == category ? 1 : 0 })
                    names.append("\(header[c])=\(category)")
                }
                oneHot.append(.init(column: header[c], categories: categories))
            }
        }
        let n = table.rows.count, d = columns.count
        guard d > 0 else {
            throw .badFile(path: path, location: "line 1", expected: "at least one feature column besides the label",
                           got: "only \"\(label)\"")
        }
        var x = [Float](repeating: 0, count: n * d)
        for (j, column) in columns.enumerated() { for i in 0..<n { x[i * d + j] = column[i] } }
        let (targets, task, mapping) = try labels(table, column: labelColumn, treatment: labelTreatment)
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let dataset = try Dataset(name: name, features: try! Tensor(shape: [n, d], scalars: x),
                                  targets: try! Tensor(shape: [n, 1], scalars: targets), task: task,
                                  featureNames: names, classNames: mapping.isEmpty ? nil : mapping)
        var report = notes + ["\(n) rows · \(numericCount) numeric feature\(numericCount == 1 ? "" : "s")"
                      + (oneHot.isEmpty ? "" : " · \(oneHot.count) categorical, one-hot encoded")]
        report += oneHot.map { "  \($0.column) → \($0.categories.count) columns: \($0.categories.joined(separator: ", "))" }
        let named = label.contains(" ") ? "\"\(label)\"" : label
        // Classes go by their names (never an index from 0); with two, the one output is the second's probability.
        report.append(mapping.isEmpty ? "label \(named): regression"
                      : "label \(named): \(mapping.count) classes: " + mapping.joined(separator: ", ")
                        + (mapping.count == 2 ? " (a model's one output is the probability of \(mapping[1]))" : ""))
        // A constant column carries no information; standardising keeps it finite (σ = 1).
        for (j, column) in columns.enumerated() where n > 1 && column.allSatisfy({ $0 == column[0] }) {
            report.append("column \(names[j]) is \(column[0]) in every row: it cannot help tell rows apart")
        }
        return CSVImport(dataset: dataset, oneHot: oneHot, classMapping: mapping, report: report)
    }

    /// The column names in a CSV file's header (separator detected as `data csv` does), or nil
    /// when it cannot be read.
    public static func csvHeader(path: String) -> [String]? {
        guard let bytes = try? FileBytes.read(path, limit: CSVTable.maximumBytes, what: "CSV file"),
              var text = String(validating: bytes, as: UTF8.self) else { return nil }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard let first = text.split(whereSeparator: \.isNewline).first else { return nil }
        let separator = CSVTable.detectedSeparator(first)
        return (try? CSVTable.fields(of: first, separator: separator, path: path, line: 1))?
            .map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Applies `rule` to the table's missing cells; returns what it did, for the report.
    private static func fillMissing(_ table: inout CSVTable, labelColumn: Int,
                                    rule: CSVOptions.Missing) throws(DatasetError) -> [String] {
        let path = table.path, header = table.header
        let missing = table.rows.flatMap { row in
            row.cells.indices.filter { CSVTable.isMissing(row.cells[$0]) }.map { (row.line, header[$0]) }
        }
        guard let first = missing.first else { return [] }
        let rowsBefore = table.rows.count
        func lines(_ numbers: [Int]) -> String {
            numbers.prefix(5).map(String.init).joined(separator: ", ") + (numbers.count > 5 ? " …" : "")
        }
        func enoughLeft() throws(DatasetError) {
            guard table.rows.count >= 2 else {
                throw .badFile(path: path, location: "", expected: "at least two rows with values (missing=\(rule.rawValue))",
                               got: "\(table.rows.count) of \(rowsBefore)")
            }
        }
        switch rule {
        case .error:
            let listed = missing.prefix(5).map { "line \($0.0) column \"\($0.1)\"" }.joined(separator: "; ")
            throw .badFile(path: path, location: "line \(first.0), column \"\(first.1)\"",
                           expected: "a value in every cell (missing=drop leaves out rows with a missing cell; "
                               + "missing=mean or missing=mode fills them)",
                           got: "\(missing.count) missing: \(listed)\(missing.count > 5 ? " …" : "")")
        case .drop:
            let dropped = Set(missing.map(\.0))
            table.rows.removeAll { dropped.contains($0.line) }
            try enoughLeft()
            return ["missing=drop: \(dropped.count) of \(rowsBefore) rows left out for a missing cell (line\(dropped.count == 1 ? "" : "s") "
                    + lines(dropped.sorted()) + ")"]
        case .mean, .mode:
            // A row without a label has nothing to learn from: it is left out, never filled.
            let unlabeled = table.rows.filter { CSVTable.isMissing($0.cells[labelColumn]) }.map(\.line)
            table.rows.removeAll { CSVTable.isMissing($0.cells[labelColumn]) }
            try enoughLeft()
            var filled: [String] = []
            for c in header.indices where c != labelColumn {
                let holes = table.rows.indices.filter { CSVTable.isMissing(table.rows[$0].cells[c]) }
                guard !holes.isEmpty else { continue }
                let present = table.rows.map { $0.cells[c] }.filter { !CSVTable.isMissing($0) }
                guard !present.isEmpty else {
                    throw .badFile(path: path, location: "column \"\(header[c])\"", expected: "a value to fill from (missing=\(rule.rawValue))",
                                   got: "no value in any row")
                }
                let numbers = present.compactMap(Double.init)
                let fill: String
                if rule == .mean, numbers.count * 2 > present.count {
                    fill = "\(numbers.reduce(0, +) / Double(numbers.count))"
                    filled.append("\(holes.count) in \(header[c]) with its mean \(shortNumber(Double(fill)!))")
                } else {
                    let counts = Dictionary(present.map { ($0, 1) }, uniquingKeysWith: +)
                    fill = counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key
                    filled.append("\(holes.count) in \(header[c]) with its most frequent value \(fill)")
                }
                for i in holes { table.rows[i].cells[c] = fill }
            }
            var note = "missing=\(rule.rawValue): " + (filled.isEmpty ? "no feature cell was missing" : "filled " + filled.joined(separator: ", "))
                + " (values of the whole file)"
            if !unlabeled.isEmpty {
                note += "; \(unlabeled.count) row\(unlabeled.count == 1 ? "" : "s") without a label left out (line\(unlabeled.count == 1 ? "" : "s") \(lines(unlabeled)))"
            }
            return [note]
        }
    }

    /// `0.5`, `12.25`: a mean as the report writes it (four significant digits).
    private static func shortNumber(_ x: Double) -> String { String(format: "%.4g", x) }

    /// True for a number that is finite as a Float too (1e300 parses as a Double but is
    /// infinite as the Float the model computes with).
    static func isFloat(_ x: Double?) -> Bool {
        guard let x else { return false }
        return Float(x).isFinite
    }

    /// What a cell that is not a usable number should have been.
    static func numberExpected(_ parsed: Double?) -> String {
        parsed == nil ? "a number" : "a finite number within ±3.4e38"
    }

    /// The label column as targets, the task, and class names (empty for regression).
    private static func labels(_ table: CSVTable, column c: Int,
                               treatment: LabelTreatment) throws(DatasetError) -> ([Float], LearningTask, [String]) {
        let cells = table.rows.map { $0.cells[c] }
        let numbers = cells.map { Double($0) }
        let allNumeric = numbers.allSatisfy(isFloat)
        if treatment == .regression {
            guard allNumeric else {
                let bad = numbers.firstIndex { !isFloat($0) }!
                throw .badFile(path: table.path, location: "line \(table.rows[bad].line), column \"\(table.header[c])\"",
                               expected: "\(numberExpected(numbers[bad])) (regression label)", got: "\"\(cells[bad])\"")
            }
            return (numbers.map { Float($0!) }, .regression, [])
        }
        let distinct = Set(cells)
        let integral = allNumeric && numbers.allSatisfy { $0! == $0!.rounded() }
        if treatment == .automatic && allNumeric && !(integral && distinct.count <= 10) {
            return (numbers.map { Float($0!) }, .regression, [])
        }
        let classes = allNumeric
            ? distinct.sorted { Double($0)! != Double($1)! ? Double($0)! < Double($1)! : $0 < $1 }
            : distinct.sorted()
        guard classes.count >= 2 else {
            throw .badFile(path: table.path, location: "column \"\(table.header[c])\"",
                           expected: "at least two classes to tell apart (or numbers to regress: task=regression)",
                           got: "one class, \"\(classes.first ?? "")\", in every row")
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        return (cells.map { Float(index[$0]!) }, .classification(classes: classes.count), classes)
    }
}
