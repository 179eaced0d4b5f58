/// Where something was written: a 1-based line and column, and the file when there is one.
///
/// Columns count characters (grapheme clusters), so a caret drawn under the line lands on the
/// token a learner typed. `file` is set for notebooks and scripts, nil at the REPL.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file the line came from (`lesson.md`), or nil for typed input.
    public var file: String?
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column of the first character.
    public var column: Int

    /// A location on `line` at `column`, optionally in `file`.
    public init(line: Int, column: Int, file: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, or `line:column` without a file.
    public var description: String {
        let position = "\(line):\(column)"
        guard let file else { return position }
        return "\(file):\(position)"
    }
}
