/// One value written on a command line: a positional argument or the right side of `key=value`.
///
/// Values keep the form the user wrote (a bare word and a quoted string are different cases), so
/// printing a command and reading it back gives the same value.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    /// A number, plain or scientific: `42`, `-0.5`, `3e-4`.
    case number(Double)
    /// A bare word: `adam`, `val.acc`, `dense1.w[4,1]`, `./notes.md`.
    case word(String)
    /// A double-quoted string, used for paths with spaces: `"my data.csv"`.
    case string(String)
    /// A comma list of numbers: `8,8`.
    case list([Double])
    /// A comparison operator: `>`, `<`, `>=`, `<=`, `==`.
    case op(String)

    // MARK: - Typed views

    /// The number, when this is one.
    public var number: Double? {
        if case .number(let x) = self { return x }
        return nil
    }

    /// The number as an `Int`, when this is a whole number that fits.
    public var integer: Int? {
        guard let x = number, abs(x) < 9.0e15, let n = Value.whole(x) else { return nil }
        return Int(n)
    }

    /// The numbers of a list; a single number reads as a list of one.
    public var numbers: [Double]? {
        switch self {
        case .list(let xs): return xs
        case .number(let x): return [x]
        default: return nil
        }
    }

    /// The text of a word, string or operator (a path reads the same quoted or not).
    public var text: String? {
        switch self {
        case .word(let s), .string(let s), .op(let s): return s
        case .number, .list: return nil
        }
    }

    /// The canonical spelling, which the lexer reads back as the same value.
    public var description: String {
        switch self {
        case .number(let x): return Value.format(x)
        case .list(let xs): return xs.map(Value.format).joined(separator: ",")
        case .op(let s): return s
        case .word(let s): return Lexer.isBareWord(s) ? s : Value.quote(s)
        case .string(let s): return Value.quote(s)
        }
    }

    // MARK: - Spelling

    /// Whole numbers without a fraction (`8`, not `8.0`); others as Swift's shortest round-trip
    /// form (`0.0003`, `1e-08`).
    static func format(_ x: Double) -> String {
        if abs(x) < 1e15, let n = whole(x) { return String(n) }
        return x.description
    }

    /// `x` as an integer when it is a whole number of magnitude below 2⁶², else nil.
    /// (A truncating conversion, not `rounded()`, so this module needs no libm.)
    static func whole(_ x: Double) -> Int64? {
        guard x.isFinite, abs(x) < 4.6e18 else { return nil }
        let n = Int64(x)
        return Double(n) == x ? n : nil
    }

    /// `s` in double quotes, with `"` and `\` escaped.
    static func quote(_ s: String) -> String {
        var out = "\""
        for c in s {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
