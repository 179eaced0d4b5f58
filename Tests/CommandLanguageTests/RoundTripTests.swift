import Testing
@testable import CommandLanguage

/// Printing a command and reading it back gives the same command.
@Suite struct RoundTripTests {
    func roundTrip(_ line: String) throws {
        let first = try parsed(line)
        let text = canonicalText(first)
        let second = try parsed(text)
        #expect(second == first, "\(line) → \(text)")
        #expect(canonicalText(second) == text, "canonical text is a fixed point")
    }

    @Test(arguments: ParserGoldenTests.goldens.map(\.0))
    func goldenLinesRoundTrip(line: String) throws {
        try roundTrip(line)
    }

    @Test func generatedLinesRoundTrip() throws {
        var generator = LineGenerator(seed: 2024)
        for _ in 0..<3_000 {
            try roundTrip(generator.line())
        }
    }

    @Test(arguments: [
        ("  seed   7   # note", "seed 7"),
        ("optimizer adam lr=3e-4", "optimizer adam lr=0.0003"),
        ("optimizer adam lr=1E-8", "optimizer adam lr=1e-08"),
        ("model mlp 8,8.0 act=tanh", "model mlp 8,8 act=tanh"),
        ("model dense 8 tanh|dense 1 sigmoid", "model dense 8 tanh | dense 1 sigmoid"),
        ("model  mlp\t4,2   act=gelu", "model mlp 4,2 act=gelu"),
        ("expect val.acc>=0.9", "expect val.acc >= 0.9"),
        ("record \"my notes.md\"", "record \"my notes.md\""),
        ("batch 32.0", "batch 32"),
        ("set lr +0.5", "set lr 0.5"),
    ])
    func canonicalSpelling(line: String, canonical: String) throws {
        #expect(canonicalText(try parsed(line)) == canonical)
    }

    @Test func handBuiltCommandsPrintParseably() throws {
        let odd = Command(.record, segments: [[Argument(.word("a file.md"))]])
        #expect(canonicalText(odd) == "record \"a file.md\"")
        #expect(try parsed(canonicalText(odd)).positional(0)?.text == "a file.md")
        #expect(Command(.replay, segments: [[Argument(.string("x\"y\\z"))]]).description
                == #"replay "x\"y\\z""#)
    }
}
