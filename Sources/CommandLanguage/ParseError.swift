/// A line that could not be read as a valid command, with the place and a likely fix.
///
/// Its description reads like a compiler's:
/// `lesson.md:14:3: unknown command 'optimzer' — did you mean 'optimizer'?`
public struct ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The offending token (or, for a missing argument, where it should have been).
    public var location: SourceLocation
    /// What is wrong, in words a learner can act on.
    public var message: String
    /// The nearest valid word, when one is close enough to be a likely typo.
    public var suggestion: String?

    /// An error at `location`.
    public init(_ message: String, at location: SourceLocation, suggestion: String? = nil) {
        self.location = location
        self.message = message
        self.suggestion = suggestion
    }

    /// `file:line:column: message — did you mean 'x'?`
    public var description: String {
        var text = "\(location): \(message)"
        if let suggestion { text += " — did you mean '\(suggestion)'?" }
        return text
    }
}

/// A word as an error message quotes it: `'adma'`, or its first 40 characters and its length
/// when it is longer (a 200 kB word pasted by mistake is not echoed whole).
public func excerpt(_ word: String, limit: Int = 40) -> String {
    guard word.count > limit else { return "'\(word)'" }
    let digits = Array(String(word.count))
    let grouped = digits.enumerated().map { i, d in (i > 0 && (digits.count - i) % 3 == 0 ? "," : "") + String(d) }.joined()
    return "'\(word.prefix(limit))…' (\(grouped) characters)"
}
