@testable import CommandLanguage

/// A command built by hand for golden comparisons (locations are ignored by `==`).
func command(_ name: String, _ arguments: Value..., options: [(String, Value)] = []) -> Command {
    Command(CommandID(rawValue: name)!, segments: [arguments.map { Argument($0) }],
            options: options.map { Option($0.0, $0.1) })
}

/// A `model` command with several `|` segments.
func model(_ segments: [Value]..., options: [(String, Value)] = []) -> Command {
    Command(.model, segments: segments.map { $0.map { Argument($0) } },
            options: options.map { Option($0.0, $0.1) })
}

/// The parse of `text`, which must be a command.
func parsed(_ text: String) throws -> Command {
    guard let command = try parseLine(text) else { throw NoCommand(text: text) }
    return command
}

/// The error `text` raises, or nil when it parses.
func parseError(_ text: String, line: Int = 1) -> ParseError? {
    do {
        _ = try parseLine(text, line: line)
        return nil
    } catch {
        return error
    }
}

struct NoCommand: Error { var text: String }
