/// What the word under the cursor could be, worked out from the part of the line before it.
public struct CompletionContext: Equatable, Sendable {
    /// What the word is expected to be.
    public enum Slot: Equatable, Sendable {
        /// A command name (the word starts the line).
        case command
        /// The next positional argument of `command`.
        case argument(ArgumentSpec)
        /// The value after `key=`; the word includes the `key=` part.
        case optionValue(OptionSpec)
        /// Nothing the table can offer: a comment, an unknown command, a surplus argument.
        case none
    }

    /// The command named at the start of the line, when it is known.
    public var command: String?
    /// What the word is expected to be.
    public var slot: Slot
    /// The partial word from `wordStart` to the cursor; completions replace exactly this.
    public var word: String
    /// The character offset where the word starts.
    public var wordStart: Int
    /// Whether `key=` options may be typed here.
    public var acceptsOptions: Bool

    /// For `.optionValue`, the part of the word after `=`; otherwise the whole word.
    public var valuePrefix: String {
        guard case .optionValue = slot, let eq = word.firstIndex(of: "=") else { return word }
        return String(word[word.index(after: eq)...])
    }
}

/// The words that could replace the word under the cursor, for the REPL's Tab key.
///
/// Offers command names at the start of a line, the table's choices for the next argument
/// (dataset names, presets, optimizers, show views, set keys…), and `key=` options once the
/// command's required arguments are given. `dynamic` adds candidate values the table cannot
/// know — file names for `.path` arguments, theme names — and is called with the context;
/// its answers are filtered by the typed prefix (and quoted when they need it).
/// Each result replaces the context's whole `word` (so an option value comes back as `act=tanh`).
public func completions(forLine line: String, cursor: Int? = nil,
                        dynamic: ((CompletionContext) -> [String])? = nil) -> [String] {
    let context = completionContext(forLine: line, cursor: cursor)
    let extra = dynamic?(context) ?? []
    var candidates: [String] = []
    switch context.slot {
    case .command:
        candidates = CommandTable.names + extra
    case .argument(let argument):
        candidates = argument.kind.candidates + extra.map { Value.word($0).description }
    case .optionValue(let option):
        candidates = (option.kind.candidates + extra.map { Value.word($0).description })
            .map { "\(option.key)=\($0)" }
    case .none:
        candidates = extra
    }
    if context.acceptsOptions, let name = context.command, let spec = CommandTable.spec(named: name) {
        let (keyword, given) = optionState(of: line, before: context.wordStart)
        candidates += spec.options
            .filter { $0.appliesTo.isEmpty || $0.appliesTo.contains(keyword ?? "") }
            .filter { !given.contains($0.key) }
            .map { "\($0.key)=" }
    }
    var seen: Set<String> = []
    return candidates.filter { $0.hasPrefix(context.word) && seen.insert($0).inserted }
}

/// The completion context at `cursor` (a character offset; nil means the end of the line).
public func completionContext(forLine line: String, cursor: Int? = nil) -> CompletionContext {
    let chars = Array(line)
    let end = min(max(cursor ?? chars.count, 0), chars.count)
    var wordStart = 0
    var inQuote = false
    var index = 0
    while index < end {
        let c = chars[index]
        if inQuote {
            if c == "\\" { index += 1 } else if c == "\"" { inQuote = false }
        } else if c == "\"" {
            inQuote = true
        } else if c == "#" {
            return CompletionContext(command: nil, slot: .none, word: "", wordStart: end,
                                     acceptsOptions: false)
        } else if Lexer.isSpace(c) || c == "|" {
            wordStart = index + 1
        }
        index += 1
    }
    let word = String(chars[wordStart..<end])
    var context = CompletionContext(command: nil, slot: .none, word: word, wordStart: wordStart,
                                    acceptsOptions: false)
    var lexer = Lexer(String(chars[..<wordStart]), line: 1)
    guard let tokens = try? lexer.tokenize() else { return context }
    guard let first = tokens.first else {
        context.slot = .command
        return context
    }
    guard case .value(.word(let name)) = first.kind, let spec = CommandTable.spec(named: name) else {
        return context
    }
    context.command = name
    if !word.hasPrefix("\""), let eq = word.firstIndex(of: "=") {
        if let option = spec.option(String(word[..<eq])) { context.slot = .optionValue(option) }
        return context
    }
    let segments = tokens.dropFirst().split(whereSeparator: { $0.kind == .pipe })
    let isLaterSegment = tokens.contains { $0.kind == .pipe }
    let values = (tokens.last?.kind == .pipe ? [] : segments.last.map(Array.init) ?? [])
        .compactMap(\.value)
    var pending = isLaterSegment ? spec.segmentArguments ?? [] : spec.arguments
    for value in values {
        guard !pending.isEmpty else { return context }
        let argument = pending.removeFirst()
        if case .keyword(let keywords) = argument.kind {
            guard let keyword = argument.kind.keyword(matching: value, in: keywords) else {
                return context
            }
            pending.insert(contentsOf: keyword.arguments, at: 0)
        }
    }
    if let next = pending.first { context.slot = .argument(next) }
    context.acceptsOptions = !spec.options.isEmpty && (pending.first?.isOptional ?? true)
    return context
}

/// The line's first positional word and the option keys already given before `offset`.
private func optionState(of line: String, before offset: Int) -> (String?, Set<String>) {
    var lexer = Lexer(String(Array(line)[..<offset]), line: 1)
    let tokens = (try? lexer.tokenize()) ?? []
    var keys: Set<String> = []
    for token in tokens {
        if case .option(let key, _) = token.kind { keys.insert(key) }
    }
    let keyword = tokens.dropFirst().first?.value?.text
    return (keyword, keys)
}
