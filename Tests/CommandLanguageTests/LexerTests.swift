import Testing
@testable import CommandLanguage

@Suite struct LexerTests {
    func kinds(_ text: String) throws -> [Token.Kind] {
        var lexer = Lexer(text, line: 1)
        return try lexer.tokenize().map(\.kind)
    }

    @Test(arguments: [
        ("42", 42.0), ("-0.5", -0.5), ("3e-4", 3e-4), ("1E+3", 1000), (".5", 0.5), ("5.", 5),
        ("+2", 2),
    ])
    func numbers(text: String, expected: Double) throws {
        #expect(try kinds(text) == [.value(.number(expected))])
    }

    @Test func wordsListsStringsAndOperators() throws {
        #expect(try kinds("watch dense1.w[3,0]") == [.value(.word("watch")), .value(.word("dense1.w[3,0]"))])
        #expect(try kinds("8,8 1,-2.5") == [.value(.list([8, 8])), .value(.list([1, -2.5]))])
        #expect(try kinds("8, x,1 ./a-b_c.csv") ==
                [.value(.word("8,")), .value(.word("x,1")), .value(.word("./a-b_c.csv"))])
        #expect(try kinds(#""my data.csv" "say \"hi\" \\""#) ==
                [.value(.string("my data.csv")), .value(.string(#"say "hi" \"#))])
        #expect(try kinds("> < >= <= ==") == [">", "<", ">=", "<=", "=="].map { .value(.op($0)) })
        #expect(try kinds("a|b") == [.value(.word("a")), .pipe, .value(.word("b"))])
        #expect(try kinds("e5 inf nan 1e") == ["e5", "inf", "nan", "1e"].map { .value(.word($0)) })
    }

    @Test func optionsAndComments() throws {
        let tokens = try kinds("opt lr=3e-4 name=\"a b\" act=tanh  # lr=9")
        #expect(tokens.count == 4)
        guard case let .option(key, value) = tokens[1] else {
            Issue.record("expected an option")
            return
        }
        #expect(key == "lr" && value == .number(3e-4))
        guard case let .option(_, string) = tokens[2] else { return }
        #expect(string == .string("a b"))
        #expect(try kinds("   # only a comment").isEmpty)
        #expect(try kinds("").isEmpty)
        #expect(try kinds("x==1") == [.value(.word("x")), .value(.op("==")), .value(.number(1))])
    }

    @Test(arguments: [
        ("seed 4 !", 8, "unexpected character '!'"),
        ("lr = 0.1", 4, "unexpected '='"),
        ("replay \"open", 8, "unterminated string"),
        ("optimizer adam lr=", 19, "option 'lr' needs a value"),
        ("x 1e999", 3, "too large"),
        ("x 8=1", 3, "cannot name an option"),
    ])
    func errors(text: String, column: Int, fragment: String) {
        var lexer = Lexer(text, line: 3)
        #expect {
            try lexer.tokenize()
        } throws: { error in
            guard let error = error as? ParseError else { return false }
            return error.location == SourceLocation(line: 3, column: column)
                && error.message.contains(fragment)
        }
    }

    @Test func bareWordsNeedNoQuotes() {
        #expect(Lexer.isBareWord("notes.md"))
        #expect(!Lexer.isBareWord("my notes.md"))
        #expect(!Lexer.isBareWord("8"))
        #expect(!Lexer.isBareWord("8,8"))
        #expect(!Lexer.isBareWord(""))
    }
}
