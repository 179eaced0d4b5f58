/// Help text generated from `CommandTable`, so it can never drift from what the parser accepts.
public enum Help {
    /// How Descent counts what a learner types and reads: one rule for everything.
    public static let countingRule = "Descent counts from 1: layers (as `show layers` lists them and as their names end: "
        + "dense1), units, heads, samples (#1 is the first) and a weight's row and column (dense1.w[1,1] is the first "
        + "weight). Classes go by their names. An index with a 0 in it was counted from 0 and is read that way, with a note."

    /// `help keys`: the front end's keymap rather than a command.
    public static let keysTopic = "keys"

    /// Every command with its one-line purpose, grouped, for `help`, then the counting rule.
    public static func overview(width: Int = 78) -> String {
        var lines = ["Commands (help COMMAND explains one; help keys lists the keys):"]
        let column = (CommandTable.names.map(\.count).max() ?? 0) + 4
        for group in CommandGroup.allCases {
            lines += ["", group.rawValue]
            for spec in CommandTable.all where spec.group == group {
                lines += entry(spec.name, spec.summary, indent: 2, column: column, width: width)
            }
        }
        lines += [""] + entry("", countingRule, indent: 0, column: 0, width: width).drop { $0.isEmpty }
        return lines.joined(separator: "\n")
    }

    /// Help for one command: purpose, usage, arguments, options with defaults, examples.
    /// Nil for names not in the table (including `keys`, whose keymap the UI owns).
    public static func text(for name: String, width: Int = 78) -> String? {
        guard let spec = CommandTable.spec(named: name) else { return nil }
        var lines = ["\(spec.name) — \(spec.summary)", ""]
        lines += entry("usage:", spec.usage, indent: 0, column: 7, width: width)
        if let notes = spec.notes { lines += [""] + entry("", notes, indent: 0, column: 0, width: width).drop { $0.isEmpty } }
        var listedWords: Set<String> = []
        for argument in spec.arguments + (spec.segmentArguments ?? []) {
            let words = argument.kind.keywords.map(\.word)
            // `model`'s layer list repeats words its first argument already explained.
            if !words.isEmpty, words.allSatisfy(listedWords.contains) { continue }
            listedWords.formUnion(words)
            lines.append("")
            lines += describe(argument, width: width)
        }
        if !spec.options.isEmpty {
            lines += ["", "options:"]
            let heads = spec.options.map { "\($0.key)=\($0.kind.placeholder)" }
            let column = (heads.map(\.count).max() ?? 0) + 5
            for (head, option) in zip(heads, spec.options) {
                lines += entry(head, describe(option), indent: 2, column: column, width: width)
            }
        }
        lines += ["", spec.examples.count == 1 ? "example:" : "examples:"]
        lines += spec.examples.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// The reply to `help NAME` for a name with no help: the nearest command, if any.
    public static func notFound(_ name: String) -> String {
        let base = "no command \(excerpt(name))"
        if let near = Suggestions.nearest(to: name, in: CommandTable.names) {
            return base + " — did you mean '\(near)'? (help \(near))"
        }
        return base + "; help lists the commands"
    }

    // MARK: - Pieces

    /// A positional argument. Keyword arguments list one line per word, then a `where` block
    /// explaining the placeholders those words take (`X`, `UNITS`, `ACT`).
    static func describe(_ argument: ArgumentSpec, width: Int) -> [String] {
        guard case .keyword(let keywords) = argument.kind else {
            return entry(argument.name, describe(argument), indent: 0, column: 10, width: width)
        }
        let optional = argument.isOptional ? " (optional)" : ""
        var lines = ["\(argument.name), the \(argument.noun)\(optional):"]
        let heads = keywords.map { keyword in
            ([keyword.word] + keyword.arguments.map { $0.isOptional ? "[\($0.name)]" : $0.name })
                .joined(separator: " ")
        }
        let column = (heads.map(\.count).max() ?? 0) + 4
        for (keyword, head) in zip(keywords, heads) {
            lines += entry(head, keyword.summary, indent: 2, column: column, width: width)
        }
        var explained: [(name: String, text: String)] = []
        let subs = keywords.flatMap { keyword in keyword.arguments.map { (word: keyword.word, argument: $0) } }
        for (word, sub) in subs {
            var text = describe(sub)
            // A placeholder that means different things after different words (LAYER after
            // `weights` and after `unit`) says which word each line is for.
            let meanings = Set(subs.filter { $0.argument.name == sub.name }.map { describe($0.argument) })
            if meanings.count > 1 { text = "after \(word): " + text }
            if !explained.contains(where: { $0.name == sub.name && $0.text == text }) {
                explained.append((sub.name, text))
            }
        }
        guard !explained.isEmpty else { return lines }
        lines.append("where")
        let subColumn = (explained.map(\.name.count).max() ?? 0) + 4
        for (name, text) in explained {
            lines += entry(name, text, indent: 2, column: subColumn, width: width)
        }
        return lines
    }

    /// `summary, expectation (default …)` for a non-keyword argument.
    static func describe(_ argument: ArgumentSpec) -> String {
        var text = [argument.summary, argument.kind.expectation]
            .filter { !$0.isEmpty }.joined(separator: ", ")
        if let value = argument.defaultValue { text += " (default \(value))" }
        if argument.isOptional, argument.defaultValue == nil { text += " (optional)" }
        return text
    }

    /// `summary, expectation; default …; only for …` for an option.
    static func describe(_ option: OptionSpec) -> String {
        var notes: [String] = []
        if let value = option.defaultValue { notes.append("default \(value)") }
        if let note = option.defaultNote { notes.append("default \(note)") }
        if !option.appliesTo.isEmpty {
            notes.append("only for " + option.appliesTo.joined(separator: ", "))
        }
        return ([option.summary + ", " + option.kind.expectation] + notes).joined(separator: "; ")
    }
}
