/// Character classes and the reading of word-ish runs.
extension Lexer {
    static func isSpace(_ c: Character) -> Bool {
        c == " " || c == "\t" || c == "\r" || c == "\n"
    }

    /// Letters, digits and `_ . - + / [ ] , ~ @`: enough for names, numbers, lists, parameters
    /// like `dense1.w[4,1]`, plain paths like `../data/points.csv` and kept runs like `@12`.
    static func isWordCharacter(_ c: Character) -> Bool {
        if c.isLetter || c.isNumber { return true }
        switch c {
        case "_", ".", "-", "+", "/", "[", "]", ",", "~", "@": return true
        default: return false
        }
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, or several joined by dots (`lr.adam`): the shape of an option key.
    static func isIdentifier(_ s: String) -> Bool {
        // Dotted names are keys too (`lr.adam=0.01`): identifiers joined by single dots.
        s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.first, first.isASCII, first.isLetter || first == "_" else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }

    /// True when `s` would be read back as the word `s` (so it needs no quotes).
    static func isBareWord(_ s: String) -> Bool {
        guard !s.isEmpty, s.allSatisfy(isWordCharacter) else { return false }
        return numberValue(s) == nil && listValue(s) == nil
    }

    /// A word-ish run as a number, a comma list of numbers, or a word.
    static func classify(_ run: String, at location: SourceLocation) throws(ParseError) -> Value {
        if isNumeral(run) {
            guard let x = numberValue(run) else {
                throw ParseError("number \(excerpt(String(run))) is too large", at: location)
            }
            return .number(x)
        }
        if run.contains(","), let xs = listValue(run) {
            return .list(xs)
        }
        return .word(run)
    }

    /// The finite number `s` spells, if it is a numeral.
    static func numberValue(_ s: String) -> Double? {
        guard isNumeral(s), let x = Double(s), x.isFinite else { return nil }
        return x
    }

    /// The numbers of `8,8`-style lists; nil unless every comma-separated part is a number.
    static func listValue(_ s: String) -> [Double]? {
        guard s.contains(",") else { return nil }
        var xs: [Double] = []
        for part in s.split(separator: ",", omittingEmptySubsequences: false) {
            guard let x = numberValue(String(part)) else { return nil }
            xs.append(x)
        }
        return xs
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
    static func isNumeral(_ s: String) -> Bool {
        var it = Array(s.utf8)[...]
        func digits() -> Int {
            var n = 0
            while let c = it.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                it.removeFirst()
                n += 1
            }
            return n
        }
        func sign() {
            if let c = it.first, c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { it.removeFirst() }
        }
        sign()
        var mantissa = digits()
        if it.first == UInt8(ascii: ".") {
            it.removeFirst()
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if let c = it.first, c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            it.removeFirst()
            sign()
            guard digits() > 0 else { return false }
        }
        return it.isEmpty
    }
}
