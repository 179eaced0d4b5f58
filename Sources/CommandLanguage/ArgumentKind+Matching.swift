/// How a kind checks, normalises, names and lists its values.
extension ArgumentKind {
    /// The outcome of offering a value to a kind.
    enum Fit: Equatable {
        /// Accepted, normalised (e.g. `8` becomes the list `[8]` for `.units`).
        case accepted(Value)
        /// The right sort of value, outside the allowed range.
        case outOfRange
        /// Not this sort of value at all.
        case mismatch
    }

    /// Whether `value` fits this kind, and its normalised form. Keywords are matched by the
    /// validator, which also needs the keyword's own arguments; here they just fit or not.
    func fit(_ value: Value) -> Fit {
        switch self {
        case .number(let range):
            guard let x = value.number else { return .mismatch }
            return range.contains(x) ? .accepted(value) : .outOfRange
        case .integer(let range):
            guard let x = value.number else { return .mismatch }
            guard value.integer != nil else { return .outOfRange }
            return range.contains(x) ? .accepted(value) : .outOfRange
        case .keyword(let keywords):
            return keyword(matching: value, in: keywords) != nil ? .accepted(value) : .mismatch
        case .units:
            guard let xs = value.numbers else { return .mismatch }
            let ok = xs.allSatisfy { $0 >= 1 && $0 <= 1_000_000 && Value.whole($0) != nil }
            return ok ? .accepted(.list(xs)) : .outOfRange
        case .path:
            switch value {
            case .word, .string: return .accepted(value)
            default: return .mismatch
            }
        case .parameter:
            guard case .word(let w) = value, ParameterName.isValid(w) else { return .mismatch }
            return .accepted(value)
        case .metric, .commandName:
            guard case .word(let w) = value, candidates.contains(w) else { return .mismatch }
            return .accepted(value)
        case .name:
            // A name with a space in it is written in quotes: `label="the label"`.
            switch value {
            case .word, .string: return .accepted(value)
            default: return .mismatch
            }
        case .oneOf(let kinds):
            var best = Fit.mismatch
            for kind in kinds {
                let fit = kind.fit(value)
                if case .accepted = fit { return fit }
                if fit == .outOfRange { best = .outOfRange }
            }
            return best
        }
    }

    /// The keyword `value` spells: a bare word, or an operator for operator keywords.
    func keyword(matching value: Value, in keywords: [Keyword]) -> Keyword? {
        switch value {
        case .word(let w), .op(let w): return keywords.first { $0.word == w }
        default: return nil
        }
    }

    /// The words this kind accepts, for suggestions and completion (empty when open-ended).
    var candidates: [String] {
        switch self {
        case .keyword(let keywords): return keywords.map(\.word)
        case .metric: return MetricName.all
        case .commandName: return CommandTable.names + [Help.keysTopic]
        case .oneOf(let kinds): return kinds.flatMap(\.candidates)
        case .number, .integer, .units, .path, .parameter, .name: return []
        }
    }

    /// The keyword `word` is another name for (`loss` for `history`), in this kind or the kinds
    /// it is one of.
    func keyword(calledOtherwise word: String) -> Keyword? {
        let lowered = word.lowercased()
        switch self {
        case .keyword(let keywords): return keywords.first { $0.otherNames.contains(lowered) }
        case .oneOf(let kinds): return kinds.lazy.compactMap { $0.keyword(calledOtherwise: word) }.first
        default: return nil
        }
    }

    /// Every other name of the keywords (`keyword(calledOtherwise:)`).
    var otherNames: [String] {
        switch self {
        case .keyword(let keywords): keywords.flatMap(\.otherNames)
        case .oneOf(let kinds): kinds.flatMap(\.otherNames)
        default: []
        }
    }

    /// The keywords of a keyword kind (empty for other kinds).
    var keywords: [Keyword] {
        if case .keyword(let keywords) = self { return keywords }
        return []
    }

    /// True for kinds that accept a fixed list of words, so a stray word is "unknown".
    var isVocabulary: Bool {
        switch self {
        case .keyword, .metric, .commandName: return true
        default: return false
        }
    }

    /// The placeholder in usage lines: `X`, `N`, `FILE`, `relu|tanh`.
    var placeholder: String {
        switch self {
        case .number: return "X"
        case .integer: return "N"
        case .keyword(let keywords):
            return keywords.count <= 4 ? keywords.map(\.word).joined(separator: "|") : "NAME"
        case .units: return "UNITS"
        case .path: return "FILE"
        case .parameter: return "PARAM"
        case .metric: return "METRIC"
        case .commandName: return "COMMAND"
        case .name(let category): return category.uppercased()
        case .oneOf(let kinds): return kinds.map(\.placeholder).joined(separator: "|")
        }
    }

    /// What is expected, in words: `a number in [0, 1)`, `one of mse, bce, ce, hinge`.
    var expectation: String {
        switch self {
        case .number(let r): return r == .any ? "a number" : "a number \(r)"
        case .integer(let r): return r == .any ? "a whole number" : "a whole number \(r)"
        case .keyword(let keywords):
            let words = keywords.map(\.word)
            return words.count == 1 ? "'\(words[0])'" : "one of " + words.joined(separator: ", ")
        case .units: return "whole numbers from 1 to 1,000,000 like 8 or 16,8"
        case .path: return "a file name (in double quotes if it has spaces)"
        case .parameter: return "written like dense1.w[4,1] or dense2.b[1]"
        case .metric:
            return MetricName.bases.joined(separator: ", ") + ", optionally after train. or val.; or " + MetricName.circuit.joined(separator: ", ")
        case .commandName: return "a command name or 'keys'"
        case .name(let category):
            // Free text (`note`, `generate prompt=`), not the name of something.
            return category == "text" ? "any text (in double quotes if it has spaces)" : "a \(category) name"
        case .oneOf(let kinds): return kinds.map(\.expectation).joined(separator: " or ")
        }
    }
}

/// Metric names for `expect`: a base metric, optionally prefixed by `train.` or `val.`; and a
/// GPT's circuit: its heads' highest scores (`show heads`), its loss per half of a repeat
/// (`show positions`) and the last `ablate`'s and `patch`'s figures.
enum MetricName {
    static let bases = ["loss", "acc", "precision", "recall", "f1", "mse", "mae", "r2", "exact"]
    static let prefixes = ["", "train.", "val."]
    static let circuit = ["heads.induction", "heads.previous", "heads.copying", "positions.first", "positions.repeat",
                          "ablated.acc", "ablated.loss", "patched.acc", "patched.loss", "intact.acc", "intact.loss"]
    static let all: [String] = prefixes.flatMap { p in bases.map { p + $0 } } + circuit
}

/// Parameter names for `watch`: `name(.name)*` with an optional index `[i]` or `[i,j]`.
enum ParameterName {
    static func isValid(_ s: String) -> Bool {
        var path = Substring(s)
        if let open = s.firstIndex(of: "[") {
            guard s.hasSuffix("]") else { return false }
            let inside = s[s.index(after: open)..<s.index(before: s.endIndex)]
            let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
            else { return false }
            path = s[..<open]
        }
        let names = path.split(separator: ".", omittingEmptySubsequences: false)
        return names.allSatisfy { Lexer.isIdentifier(String($0)) }
    }
}
