import TestSupport
import Testing
@testable import CommandLanguage

/// Random printable lines never crash the parser: each parses or throws a located ParseError.
@Suite struct FuzzTests {
    static let fragments = CommandTable.names + MetricName.all + [
        "adam", "spiral", "mlp", "dense", "dropout", "tanh", "|", "=", "==", ">=", "\"", "#",
        "lr=", "k=", "8,8", "-0.5", "3e-4", "1e999", "[3,0]", ".", ",", "full", "max", " ", "  ",
        "é", "中", "🙂", "\\", "\t", "e", "--", "[", "]", "w.", "0", "1", "-",
    ]

    @Test func randomLinesNeverCrash() {
        var rng = SplitMix64(seed: 0xDE5C_E17)
        let printable = (32...126).map { Character(UnicodeScalar(UInt8($0))) }
        var parsedCount = 0
        for _ in 0..<20_000 {
            var line = ""
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                if Bool.random(using: &rng) {
                    line += Self.fragments.randomElement(using: &rng)!
                } else {
                    line.append(printable.randomElement(using: &rng)!)
                }
                if Int.random(in: 0..<3, using: &rng) == 0 { line += " " }
            }
            do {
                if try parseLine(line, line: 9) != nil { parsedCount += 1 }
            } catch {
                #expect(error.location.line == 9)
                #expect(error.location.column >= 1 && error.location.column <= line.count + 2,
                        "\(line) → \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsedCount > 0)
    }

    @Test func randomLinesNeverCrashCompletion() {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2_000 {
            var line = ""
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                line += Self.fragments.randomElement(using: &rng)! + (Bool.random(using: &rng) ? " " : "")
            }
            let cursor = Int.random(in: 0...line.count, using: &rng)
            _ = completions(forLine: line, cursor: cursor) { _ in ["x y.md"] }
        }
    }
}
