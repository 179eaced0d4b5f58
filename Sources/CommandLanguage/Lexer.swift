/// Splits one line into tokens.
///
/// The grammar, informally:
///
///     line    = token* [ "#" comment ]
///     token   = "|" | op | string | word-ish | key "=" (string | word-ish)
///     op      = ">=" | "<=" | "==" | ">" | "<"
///     string  = '"' (char | '\"' | '\\')* '"'
///     word-ish = (letter | digit | _ . - + / [ ] , ~)+   read as a number, a list or a word
///
/// A word-ish run is a number when it is one whole (`-0.5`, `3e-4`), a list when it is numbers
/// joined by commas (`8,8`), and otherwise a word (`dense1.w[4,1]`, `./data.csv`).
struct Lexer {
    private let chars: [Character]
    private let line: Int
    private let file: String?
    private var i = 0

    init(_ text: String, line: Int, file: String? = nil) {
        self.chars = Array(text)
        self.line = line
        self.file = file
    }

    /// All tokens up to the end of the line or a `#` comment.
    mutating func tokenize() throws(ParseError) -> [Token] {
        var tokens: [Token] = []
        while true {
            while i < chars.count, Lexer.isSpace(chars[i]) { i += 1 }
            guard i < chars.count, chars[i] != "#" else { return tokens }
            tokens.append(try next())
        }
    }

    // MARK: - Tokens

    private mutating func next() throws(ParseError) -> Token {
        let start = i
        let c = chars[i]
        if c == "|" {
            i += 1
            return token(.pipe, from: start)
        }
        if c == ">" || c == "<" || c == "=" {
            i += 1
            if i < chars.count, chars[i] == "=" {
                i += 1
            } else if c == "=" {
                throw ParseError("unexpected '=' — write options as key=value, without spaces",
                                 at: location(start))
            }
            return token(.value(.op(String(chars[start..<i]))), from: start)
        }
        if c == "\"" {
            return token(.value(.string(try quoted())), from: start)
        }
        guard Lexer.isWordCharacter(c) else {
            throw ParseError("unexpected character '\(c)'", at: location(start))
        }
        let run = wordRun()
        if i < chars.count, chars[i] == "=", !(i + 1 < chars.count && chars[i + 1] == "=") {
            return try option(key: run, keyStart: start)
        }
        return token(.value(try Lexer.classify(run, at: location(start))), from: start)
    }

    private mutating func option(key: String, keyStart: Int) throws(ParseError) -> Token {
        guard Lexer.isIdentifier(key) else {
            throw ParseError("\(excerpt(String(key))) cannot name an option; options look like lr=0.01",
                             at: location(keyStart))
        }
        i += 1   // the "="
        let valueStart = i
        let value: Value
        if i < chars.count, chars[i] == "\"" {
            value = .string(try quoted())
        } else if i < chars.count, Lexer.isWordCharacter(chars[i]) {
            value = try Lexer.classify(wordRun(), at: location(valueStart))
        } else {
            throw ParseError("option \(excerpt(String(key))) needs a value after '=', e.g. \(key.count > 40 ? "lr" : String(key))=1",
                             at: location(valueStart))
        }
        return token(.option(key: key, value: value), from: keyStart)
    }

    /// The contents of a double-quoted string starting at `i`; `\"` and `\\` are escapes.
    private mutating func quoted() throws(ParseError) -> String {
        let start = i
        i += 1
        var text = ""
        while i < chars.count {
            let c = chars[i]
            if c == "\"" {
                i += 1
                return text
            }
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                i += 1
            }
            text.append(chars[i])
            i += 1
        }
        throw ParseError("unterminated string: add a closing '\"'", at: location(start))
    }

    private mutating func wordRun() -> String {
        let start = i
        while i < chars.count, Lexer.isWordCharacter(chars[i]) { i += 1 }
        return String(chars[start..<i])
    }

    private func token(_ kind: Token.Kind, from start: Int) -> Token {
        Token(kind: kind, text: String(chars[start..<i]), location: location(start),
              endColumn: i + 1)
    }

    private func location(_ index: Int) -> SourceLocation {
        SourceLocation(line: line, column: index + 1, file: file)
    }
}
