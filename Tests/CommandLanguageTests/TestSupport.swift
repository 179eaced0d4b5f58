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

/// SplitMix64: a tiny seeded generator so property tests repeat exactly.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
