import Foundation

/// A comma-separated file read into a header and rows of cells, with every structural error
/// named by file, line and what was expected.
///
/// Fields may be quoted with `"` (a doubled `""` inside is one quote); quoted fields may not span
/// lines. Blank lines are skipped; `\n`, `\r\n` and `\r` all end a line. Lines are numbered from 1 as an
/// editor shows them, the header being line 1.
struct CSVTable {
    let path: String
    let header: [String]
    /// Data rows with the file line each came from.
    let rows: [(line: Int, cells: [String])]

    /// The largest CSV file read: its table in memory takes several times its size, and a
    /// larger one would freeze the screen while it loads.
    static let maximumBytes = 100 << 20

    init(path: String) throws(DatasetError) {
        try self.init(bytes: try FileBytes.read(path, limit: Self.maximumBytes, what: "CSV file"), path: path)
    }

    /// The table in `bytes`, errors naming `path`.
    init(bytes: [UInt8], path: String) throws(DatasetError) {
        self.path = path
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .badFile(path: path, location: "", expected: "UTF-8 text", got: "binary or another encoding")
        }
        var lines: [(Int, [String])] = []
        // Character-wise: "\r\n" is one Character, so splitting on "\n" alone would miss it.
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            lines.append((i + 1, try CSVTable.fields(of: line, path: path, line: i + 1)))
        }
        guard let first = lines.first else {
            throw .badFile(path: path, location: "", expected: "a header row and data rows", got: "an empty file")
        }
        let names = first.1.map { $0.trimmingCharacters(in: .whitespaces) }
        header = names
        if let dup = Dictionary(grouping: names.indices, by: { names[$0] }).first(where: { $0.value.count > 1 }) {
            throw .badFile(path: path, location: "line \(first.0)", expected: "distinct column names",
                           got: "\"\(dup.key)\" \(dup.value.count) times")
        }
        guard lines.count > 1 else {
            throw .badFile(path: path, location: "", expected: "at least one data row after the header", got: "only the header")
        }
        let uneven = lines.dropFirst().filter { $0.1.count != names.count }
        let delimiter = Self.otherDelimiter(text.split(whereSeparator: \.isNewline).first ?? "")
        if names.count == 1, !delimiter.isEmpty || !uneven.isEmpty {
            // One column in the header, and another delimiter or uneven rows: another kind of file.
            throw .badFile(path: path, location: "line \(first.0)",
                           expected: "a CSV file: a header row of column names separated by commas",
                           got: "no comma in the header" + delimiter)
        }
        if let (line, cells) = uneven.first {
            let counts = Set(uneven.map(\.1.count)).sorted().map(String.init).joined(separator: ", ")
            let others = uneven.count - 1
            throw .badFile(path: path, location: "line \(line)",
                           expected: "\(names.count) fields like the header (line \(first.0))",
                           got: "\(cells.count)" + (others == 0 ? "" : "; \(others) more line\(others == 1 ? " differs" : "s differ") too"
                                                     + " (field counts found: \(counts))"))
        }
        rows = lines.dropFirst().map { (line: $0.0, cells: $0.1) }
    }

    /// The fields of one line.
    static func fields(of line: Substring, path: String, line number: Int) throws(DatasetError) -> [String] {
        var fields: [String] = [], current = "", quoted = false, wasQuoted = false
        var chars = line.makeIterator()
        while let ch = chars.next() {
            if quoted {
                if ch == "\"" {
                    var lookahead = chars
                    if lookahead.next() == "\"" { current.append("\""); chars = lookahead } else { quoted = false }
                } else {
                    current.append(ch)
                }
            } else if ch == "\"" && current.trimmingCharacters(in: .whitespaces).isEmpty && !wasQuoted {
                quoted = true; wasQuoted = true; current = ""
            } else if ch == "," {
                fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
                current = ""; wasQuoted = false
            } else {
                current.append(ch)
            }
        }
        guard !quoted else {
            throw .badFile(path: path, location: "line \(number)", expected: "a closing quote \"", got: "end of line")
        }
        fields.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// What separates the fields of `line` if not commas, for the error: ` (it looks separated by
    /// ':', 6 per line; Descent reads commas)`.
    static func otherDelimiter(_ line: Substring) -> String {
        let counts = [";", "\t", ":", "|"].map { d in (d, line.filter { String($0) == d }.count) }
        guard let best = counts.max(by: { $0.1 < $1.1 }), best.1 > 0 else { return "" }
        let name = best.0 == "\t" ? "tabs" : "'\(best.0)'"
        return " (it looks separated by \(name), \(best.1) on that line; Descent reads commas)"
    }

    /// Spellings of a missing value.
    static func isMissing(_ cell: String) -> Bool {
        ["", "na", "n/a", "nan", "null", "?", "-"].contains(cell.lowercased())
    }
}
