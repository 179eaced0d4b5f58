/// How a sample is written by a person or a program, in the data's own units, and how it
/// becomes the model's features: what `predict 150 7 red` and the model server read.
///
/// A table's columns are numbers as they are, or categories one-hot encoded as the CSV reader
/// encoded them (one 0/1 feature per value, values sorted); a text model takes raw text and its
/// vocabulary's ids; images and sequences take their values in order (pixels in [0, 1]).
/// Standardisation comes after, from the training split's statistics (`Standardizer`).
public struct InputSchema: Equatable, Sendable, Codable {
    public enum Column: Equatable, Sendable, Codable {
        case number(name: String)
        case category(name: String, values: [String])

        public var name: String {
            switch self {
            case .number(let name), .category(let name, _): name
            }
        }

        /// How many features the column becomes: 1, or one per category value.
        public var featureCount: Int {
            switch self {
            case .number: 1
            case .category(_, let values): values.count
            }
        }
    }

    public enum Form: Equatable, Sendable, Codable {
        /// A table's columns.
        case columns([Column])
        /// A flat row of this many numbers (an image's pixels, a sequence's steps).
        case values(count: Int)
        /// One text, as words of `vocabulary` (0 `<pad>`, 1 `<unk>`), padded or cut to `length`.
        case text(vocabulary: [String], length: Int)
        /// The `prompt` symbols a sequence model is given, each one of `vocabulary` (a sorting
        /// task's digits); the model writes the rest. Prompt 0: the model starts from nothing.
        case symbols(vocabulary: [String], prompt: Int)
    }

    /// One cell as given: a number, or a word (a category's value, a text).
    public enum Cell: Equatable, Sendable {
        case number(Double)
        case text(String)

        /// The cell as a word: a whole number without its decimal point (`7`, not `7.0`).
        public var word: String {
            switch self {
            case .text(let w): w
            case .number(let x): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
            }
        }
    }

    public var form: Form

    public init(_ form: Form) { self.form = form }

    /// The schema of `dataset`, whose one-hot columns (if any) came from `oneHot`.
    public init(of dataset: Dataset, oneHot: [CSVImport.OneHot] = []) {
        switch dataset.kind {
        case .table:
            var columns: [Column] = []
            var k = 0
            let names = dataset.featureNames
            while k < names.count {
                if let encoding = oneHot.first(where: { names[k] == "\($0.column)=\($0.categories.first ?? "")" }),
                   k + encoding.categories.count <= names.count,
                   zip(names[k...], encoding.categories).allSatisfy({ $0 == "\(encoding.column)=\($1)" }) {
                    columns.append(.category(name: encoding.column, values: encoding.categories))
                    k += encoding.categories.count
                } else {
                    columns.append(.number(name: names[k]))
                    k += 1
                }
            }
            form = .columns(columns)
        case let .tokens(vocabulary, length): form = .text(vocabulary: vocabulary, length: length)
        case .image, .sequence: form = .values(count: dataset.kind.sampleShape(columns: 0).reduce(1, *))
        case let .symbols(vocabulary, _, prompt): form = .symbols(vocabulary: vocabulary, prompt: prompt)
        }
    }

    /// How many cells a row holds.
    public var cellCount: Int {
        switch form {
        case .columns(let columns): columns.count
        case .values(let count): count
        case .text: 1
        case .symbols(_, let prompt): prompt
        }
    }

    /// What a row looks like, for messages: `sepal length, petal width, colour (red|blue)`.
    public var usage: String {
        switch form {
        case .columns(let columns):
            columns.map { column in
                switch column {
                case .number(let name): name
                case let .category(name, values): "\(name) (\(values.joined(separator: "|")))"
                }
            }.joined(separator: ", ")
        case .values(let count): "\(count) numbers"
        case .text: "one text"
        case let .symbols(vocabulary, prompt): "\(prompt) symbols of \(vocabulary.joined(separator: " "))"
        }
    }

    /// A table's row as its columns hold it, from its features before standardisation (the
    /// inverse of `features(of:)`): a category's value is the one its one-hot columns mark.
    /// Nil for other forms, or when `features` is not one row of this schema.
    public func cells(of features: ArraySlice<Float>) -> [Cell]? {
        guard case .columns(let columns) = form,
              columns.reduce(0, { $0 + $1.featureCount }) == features.count else { return nil }
        var cells: [Cell] = []
        var k = features.startIndex
        for column in columns {
            switch column {
            case .number:
                cells.append(.number(Double(features[k])))
            case .category(_, let values):
                let marks = features[k..<(k + values.count)]
                let hot = marks.indices.max { marks[$0] < marks[$1] } ?? k
                cells.append(.text(values[hot - k]))
            }
            k += column.featureCount
        }
        return cells
    }

    /// The features of one row, before standardisation. `row` numbers it in errors (0-based).
    public func features(of cells: [Cell], row: Int = 0) throws(InputError) -> [Float] {
        switch form {
        case .columns(let columns):
            guard cells.count == columns.count else {
                throw InputError(row: row, column: nil, "expected \(columns.count) values (\(usage)), got \(cells.count)")
            }
            var out: [Float] = []
            for (column, cell) in zip(columns, cells) {
                switch (column, cell) {
                case let (.number(name), .number(x)):
                    out.append(try Self.finite(x, row: row, column: name))
                case let (.number(name), .text(word)):
                    guard let x = Double(word) else {
                        throw InputError(row: row, column: name, "expected a number, got \"\(word)\"")
                    }
                    out.append(try Self.finite(x, row: row, column: name))
                case let (.category(name, values), cell):
                    let word = cell.word
                    guard let index = values.firstIndex(of: word) else {
                        // Values are exact, as the file spells them; one that differs only in case is named.
                        let near = values.filter { $0.lowercased() == word.lowercased() }
                        let hint = near.count == 1 ? " (values are exact: \"\(near[0])\")" : ""
                        throw InputError(row: row, column: name,
                                         "expected one of \(values.joined(separator: ", ")), got \"\(word)\"\(hint)")
                    }
                    out += values.indices.map { $0 == index ? 1 : 0 }
                }
            }
            return out
        case .values(let count):
            guard cells.count == count else {
                throw InputError(row: row, column: nil, "expected \(count) numbers, got \(cells.count)")
            }
            var out: [Float] = []
            out.reserveCapacity(count)
            for (k, cell) in cells.enumerated() {
                guard case .number(let x) = cell else {
                    throw InputError(row: row, column: "\(k)", "expected a number")
                }
                out.append(try Self.finite(x, row: row, column: "\(k)"))
            }
            return out
        case let .text(vocabulary, length):
            let words = cells.map { cell -> String in
                switch cell {
                case .text(let w): w
                case .number(let x): "\(x)"
                }
            }
            guard !words.isEmpty else { throw InputError(row: row, column: nil, "expected a text") }
            return Tokenizer(vocabulary: vocabulary).encode(words.joined(separator: " "), length: length).map(Float.init)
        case let .symbols(vocabulary, prompt):
            guard cells.count == prompt else {
                throw InputError(row: row, column: nil, "expected \(usage), got \(cells.count)")
            }
            var out: [Float] = []
            for (k, cell) in cells.enumerated() {
                guard let id = vocabulary.firstIndex(of: cell.word) else {
                    throw InputError(row: row, column: "\(k)", "expected one of \(vocabulary.joined(separator: " ")), got \"\(cell.word)\"")
                }
                out.append(Float(id))
            }
            return out
        }
    }

    /// The largest magnitude a number may have: a Float's largest finite value (features are
    /// Floats). Checked exactly, not after rounding, so a schema can state the bound.
    public static let largestMagnitude = Double(Float.greatestFiniteMagnitude)

    private static func finite(_ x: Double, row: Int, column: String) throws(InputError) -> Float {
        guard abs(x) <= largestMagnitude else {
            throw InputError(row: row, column: column, "expected a finite number within ±3.4e38, got \(x)")
        }
        return Float(x)
    }
}

/// Why a row given for prediction cannot be read: which row (0-based) and column.
public struct InputError: Error, Equatable, CustomStringConvertible {
    public var row: Int
    public var column: String?
    public var reason: String

    public init(row: Int, column: String?, _ reason: String) {
        self.row = row
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "row \(row)" + (column.map { ", column \"\($0)\"" } ?? "") + ": " + reason
    }
}
