/// A theme file that does not parse: where (`file:line:column`, 1-based) and what was expected.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file as given to the parser.
    public let file: String
    /// 1-based line; 0 when the whole file is at fault (e.g. unreadable).
    public let line: Int
    /// 1-based column of the offending text; 0 when the whole file is at fault.
    public let column: Int
    /// What is wrong and what was expected.
    public let message: String

    /// Creates an error at a position.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form editors and terminals link.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
