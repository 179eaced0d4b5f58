import TestSupport
@testable import CommandLanguage

/// Writes random *valid* command lines by walking `CommandTable`, so round-trip tests cover
/// every command, keyword, option and number format the table allows.
struct LineGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func line() -> String {
        let spec = CommandTable.all.randomElement(using: &rng)!
        var parts = [spec.name]
        let segmentCount = spec.allowsSegments ? Int.random(in: 1...3, using: &rng) : 1
        var keyword: String?
        for index in 0..<segmentCount {
            if index > 0 { parts.append("|") }
            let specs = segmentCount > 1 ? spec.segmentArguments ?? [] : spec.arguments
            let words = arguments(specs)
            if index == 0 { keyword = words.first }
            parts += words
        }
        let options = spec.options
            .filter { $0.appliesTo.isEmpty || $0.appliesTo.contains(keyword ?? "") }
            .filter { _ in Bool.random(using: &rng) }
            .shuffled(using: &rng)
        parts += options.map { "\($0.key)=\(value(of: $0.kind))" }
        let gap = [" ", "  ", "\t"].randomElement(using: &rng)!
        return parts.joined(separator: gap)
    }

    private mutating func arguments(_ specs: [ArgumentSpec]) -> [String] {
        var words: [String] = []
        for spec in specs {
            if spec.isOptional, Bool.random(using: &rng) { break }
            if case .keyword(let keywords) = spec.kind {
                let keyword = keywords.randomElement(using: &rng)!
                words.append(keyword.word)
                words += arguments(keyword.arguments)
            } else {
                words.append(value(of: spec.kind))
            }
        }
        return words
    }

    private mutating func value(of kind: ArgumentKind) -> String {
        switch kind {
        case .number(let range): return number(in: range, integral: false)
        case .integer(let range): return number(in: range, integral: true)
        case .keyword(let keywords): return keywords.randomElement(using: &rng)!.word
        case .units:
            let count = Int.random(in: 1...3, using: &rng)
            return (0..<count).map { _ in String(Int.random(in: 1...64, using: &rng)) }
                .joined(separator: ",")
        case .path:
            return ["a.md", "Notebooks/x.md", "\"my file.md\"", "../d-1_2.md", "\"q\\\"t.md\""]
                .randomElement(using: &rng)!
        case .parameter:
            return ["dense1.w[3,0]", "dense2.b[0]", "w", "conv1.w[1,2,3]"].randomElement(using: &rng)!
        case .metric: return MetricName.all.randomElement(using: &rng)!
        case .commandName: return (CommandTable.names + ["keys"]).randomElement(using: &rng)!
        case .name: return ["light", "dark-2"].randomElement(using: &rng)!
        case .oneOf(let kinds): return value(of: kinds.randomElement(using: &rng)!)
        }
    }

    /// A numeral in `range`, written plainly or in scientific notation.
    private mutating func number(in range: NumberRange, integral: Bool) -> String {
        for _ in 0..<50 {
            let mantissa = Int.random(in: 0...999, using: &rng)
            let sign = range.lower.map { $0 >= 0 } ?? false ? "" : (Bool.random(using: &rng) ? "-" : "")
            let text: String
            switch Int.random(in: 0...3, using: &rng) {
            case 0: text = "\(sign)\(mantissa)"
            case 1: text = "\(sign)0.\(mantissa)"
            case 2: text = "\(sign)\(mantissa)e-\(Int.random(in: 1...6, using: &rng))"
            default: text = "\(sign)\(mantissa % 10).\(mantissa)E+\(Int.random(in: 0...2, using: &rng))"
            }
            guard let x = Double(text), range.contains(x) else { continue }
            if integral, x != x.rounded() { continue }
            return text
        }
        return Value.format(range.lower.map { range.includesLower ? $0 : $0 + 1 } ?? 1)
    }
}
