/// How a CSV file is read where spreadsheets differ: the separator, the decimal mark and what
/// to do with empty cells. The defaults read what the file shows: commas, or semicolons or tabs
/// when the header has those and no comma; decimal commas when fields are not comma-separated
/// and numbers are written `5,1`; missing cells are an error naming them.
public struct CSVOptions: Equatable, Codable, Sendable {
    public enum Separator: String, CaseIterable, Codable, Sendable {
        case auto, comma, semicolon, tab

        /// The character, nil for `auto`.
        var character: Character? {
            switch self {
            case .auto: nil
            case .comma: ","
            case .semicolon: ";"
            case .tab: "\t"
            }
        }
    }

    public enum DecimalMark: String, CaseIterable, Codable, Sendable { case auto, point, comma }

    /// What to do with a missing cell (empty, `NA`, `?` …).
    public enum Missing: String, CaseIterable, Codable, Sendable {
        /// Refuse the file, listing where the cells are.
        case error
        /// Leave out every row with a missing cell.
        case drop
        /// Fill a numeric column's cells with its mean, a text column's with its most frequent value.
        case mean
        /// Fill every column's cells with its most frequent value.
        case mode
    }

    public var separator: Separator
    public var decimal: DecimalMark
    public var missing: Missing

    public init(separator: Separator = .auto, decimal: DecimalMark = .auto, missing: Missing = .error) {
        self.separator = separator
        self.decimal = decimal
        self.missing = missing
    }

    /// True when every choice is the default (the command needs none of its options).
    public var isDefault: Bool { self == CSVOptions() }
}
