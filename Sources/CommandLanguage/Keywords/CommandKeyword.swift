/// A word a command takes after its name, as a type: its spelling (the raw value), what it means
/// (help and completion) and the arguments that follow it, in one place. The command table
/// builds its keyword lists from these (`keywords`), the parser validates against them, and the
/// session reads the typed value back (`Command.keyword(_:)`), so a word is spelled once.
///
/// The engine's own vocabularies (losses, optimizers, activations) are the engine's enums; the
/// table lists them with their help, and a test checks the two agree (`VocabularyTests`).
public protocol CommandKeyword: RawRepresentable, CaseIterable, Sendable, Equatable where RawValue == String {
    /// What the word means, for help and completion.
    var summary: String { get }
    /// The arguments that follow the word (none by default).
    var arguments: [ArgumentSpec] { get }
    /// Words a newcomer writes for this one, suggested when written (none by default).
    var otherNames: [String] { get }
}

extension CommandKeyword {
    public var arguments: [ArgumentSpec] { [] }
    public var otherNames: [String] { [] }

    /// The word as the command table lists it.
    public var keyword: Keyword { Keyword(rawValue, summary, arguments: arguments, otherNames: otherNames) }

    /// Every word, in declaration order, as the command table lists them.
    public static var keywords: [Keyword] { allCases.map(\.keyword) }

    /// Every spelling, for messages: `layers, weights, grads …`.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

extension Command {
    /// Positional argument `index` (of `segment`) as the keyword `K`: nil when it is absent, is
    /// another word, or was written as a quoted string (`record "stop"` names a file).
    public func keyword<K: CommandKeyword>(_ type: K.Type, at index: Int = 0, segment: Int = 0) -> K? {
        switch positional(index, segment: segment) {
        case .word(let w)?, .op(let w)?: K(rawValue: w)
        default: nil
        }
    }

    // MARK: - Defaults from the table

    /// Option `key` as written, else its default in the command table. Asking for an option the
    /// table gives no fixed default is a programming error (each call site is covered by a test).
    public func value(_ key: String) -> Value {
        guard let value = optionOrDefault(key) else { preconditionFailure("\(name): option \(key) has no default in the table") }
        return value
    }

    /// Option `key` as a number, written or the table's default.
    public func number(orDefault key: String) -> Double { value(key).number ?? 0 }

    /// Option `key` as a whole number, written or the table's default.
    public func integer(orDefault key: String) -> Int { value(key).integer ?? 0 }

    /// Positional argument `index` as written, else its default in the table (for the arguments
    /// of the first segment, and of a keyword: `step [N]`, `dense UNITS [ACT]`).
    public func positional(orDefault index: Int, segment: Int = 0) -> Value {
        if let value = positional(index, segment: segment) { return value }
        guard let value = defaultArgument(index, segment: segment) else {
            preconditionFailure("\(name): argument \(index) has no default in the table")
        }
        return value
    }

    /// The table's default for positional argument `index`: the command's own argument, or an
    /// argument of the keyword written before it (`regularize l2 [STRENGTH]`).
    private func defaultArgument(_ index: Int, segment: Int) -> Value? {
        let specs = segment == 0 ? spec.arguments : (spec.segmentArguments ?? [])
        if index < specs.count, let value = specs[index].defaultValue { return value }
        // The arguments a keyword brings follow it: find the keyword among the earlier positions.
        for k in stride(from: min(index, specs.count) - 1, through: 0, by: -1) {
            guard case .keyword(let words) = specs[k].kind, case .word(let w)? = positional(k, segment: segment),
                  let keyword = words.first(where: { $0.word == w }) else { continue }
            let offset = index - k - 1
            if offset < keyword.arguments.count { return keyword.arguments[offset].defaultValue }
        }
        return nil
    }
}
