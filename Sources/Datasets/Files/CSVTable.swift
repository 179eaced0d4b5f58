import Foundation

/// A comma-separated file (or semicolons, or tabs: `CSVOptions`) read into a header and rows of
/// cells, with every structural error named by file, line and what was expected.
///
/// Fields may be quoted with `"` (a doubled `""` inside is one quote); quoted fields may not span
/// lines. Blank lines are skipped; `\n`, `\r\n` and `\r` all end a line. Lines are numbered from 1 as an
/// editor shows them, the header being line 1.
struct CSVTable {
    let path: String
    let header: [String]
    /// Data rows with the file line each came from.
    var rows: [(line: Int, cells: [String])]
    /// What separated the fields.
    let separator: Character
    /// True when numbers were written with decimal commas (`5,1`); the cells hold them with points.
    let decimalComma: Bool

    /// The largest CSV file read: its table in memory takes several times its size, and a
    /// larger one would freeze the screen while it loads.
    static let maximumBytes = 100 << 20

    init(path: String, options: CSVOptions = CSVOptions()) throws(DatasetError) {
        try self.init(bytes: try FileBytes.read(path, limit: Self.maximumBytes, what: "CSV file"), path: path, options: options)
    }

    /// The table in `bytes`, errors naming `path`.
    init(bytes: [UInt8], path: String, options: CSVOptions = CSVOptions()) throws(DatasetError) {
        self.path = path
        guard var text = String(validating: bytes, as: UTF8.self) else {
            throw .badFile(path: path, location: "", expected: "UTF-8 text", got: "binary or another encoding")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }   // Excel's UTF-8 byte-order mark
        let separator = options.separator.character ?? Self.detectedSeparator(text.split(whereSeparator: \.isNewline).first ?? "")
        self.separator = separator
        var lines: [(Int, [String])] = []
        // Character-wise: "\r\n" is one Character, so splitting on "\n" alone would miss it.
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.allSatisfy({ $0 == " " || ($0 == "\t" && separator != "\t") }) { continue }
            lines.append((i + 1, try CSVTable.fields(of: line, separator: separator, path: path, line: i + 1)))
        }
        let decimalComma = switch options.decimal {
        case .comma: true
        case .point: false
        case .auto: separator != "," && lines.dropFirst().contains { $0.1.contains(where: Self.isDecimalCommaNumber) }
        }
        self.decimalComma = decimalComma
        if decimalComma {
            for i in lines.indices.dropFirst() {
                lines[i].1 = lines[i].1.map { Self.isDecimalCommaNumber($0) ? $0.replacingOccurrences(of: ",", with: ".") : $0 }
            }
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
        let delimiter = Self.otherDelimiter(text.split(whereSeparator: \.isNewline).first ?? "", than: separator)
        if names.count == 1, !delimiter.isEmpty || !uneven.isEmpty {
            // One column in the header, and another delimiter or uneven rows: another kind of file.
            throw .badFile(path: path, location: "line \(first.0)",
                           expected: "a CSV file: a header row of column names separated by \(Self.name(of: separator))",
                           got: "no \(Self.name(of: separator, plural: false)) in the header" + delimiter)
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
    static func fields(of line: Substring, separator: Character = ",", path: String, line number: Int) throws(DatasetError) -> [String] {
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
            } else if ch == separator {
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

    /// What separates the fields of `line` if not `separator`, for the error: ` (it looks
    /// separated by ':', 6 per line; Descent reads commas, semicolons or tabs: sep=…)`.
    static func otherDelimiter(_ line: Substring, than separator: Character) -> String {
        let counts = [",", ";", "\t", ":", "|"].filter { $0 != String(separator) }.map { d in (d, line.filter { String($0) == d }.count) }
        guard let best = counts.max(by: { $0.1 < $1.1 }), best.1 > 0 else { return "" }
        let name = best.0 == "\t" ? "tabs" : "'\(best.0)'"
        let option = [",": " (try sep=comma)", ";": " (try sep=semicolon)", "\t": " (try sep=tab)"][best.0]
            ?? "; Descent reads commas, semicolons or tabs"
        return " (it looks separated by \(name), \(best.1) on that line\(option))"
    }

    /// The separator a header line uses: commas when it has any, else semicolons or tabs,
    /// whichever it has more of (a one-column file has none: commas).
    static func detectedSeparator(_ header: Substring) -> Character {
        if header.contains(",") { return "," }
        let semicolons = header.filter { $0 == ";" }.count, tabs = header.filter { $0 == "\t" }.count
        if semicolons == 0 && tabs == 0 { return "," }
        return semicolons >= tabs ? ";" : "\t"
    }

    /// `5,1` or `-0,25`: a number written with a decimal comma.
    static func isDecimalCommaNumber(_ cell: String) -> Bool {
        guard cell.filter({ $0 == "," }).count == 1, !cell.hasPrefix(","), !cell.hasSuffix(",") else { return false }
        return Double(cell.replacingOccurrences(of: ",", with: ".")) != nil
    }

    /// `commas`, `semicolons`, `tabs` (or the singular) for messages.
    static func name(of separator: Character, plural: Bool = true) -> String {
        let word = switch separator {
        case ",": "comma"
        case ";": "semicolon"
        case "\t": "tab"
        default: "'\(separator)'"
        }
        return plural && word.first != "'" ? word + "s" : word
    }

    /// Spellings of a missing value.
    static func isMissing(_ cell: String) -> Bool {
        ["", "na", "n/a", "nan", "null", "?", "-"].contains(cell.lowercased())
    }
}
