/// One lexical unit of a command line.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A word, number, list, quoted string or comparison operator.
        case value(Value)
        /// `key=value`, written without spaces.
        case option(key: String, value: Value)
        /// `|`, which separates the layers of `model`.
        case pipe
    }

    var kind: Kind
    /// The characters as written, for error messages.
    var text: String
    /// Where the token starts.
    var location: SourceLocation
    /// The column just past the token's last character.
    var endColumn: Int

    /// The value of a `.value` token.
    var value: Value? {
        if case .value(let v) = kind { return v }
        return nil
    }
}
