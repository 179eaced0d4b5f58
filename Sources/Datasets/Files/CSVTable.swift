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

    init(path: String) throws(DatasetError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badFile(path: path, location: "", expected: "a readable file", got: "no such file or no permission")
        }
        guard let text = String(data: data, encoding: .utf8) else {
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
        for (line, cells) in lines.dropFirst() where cells.count != names.count {
            throw .badFile(path: path, location: "line \(line)",
                           expected: "\(names.count) fields like the header", got: "\(cells.count)")
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

    /// Spellings of a missing value.
    static func isMissing(_ cell: String) -> Bool {
        ["", "na", "n/a", "nan", "null", "?", "-"].contains(cell.lowercased())
    }
}
