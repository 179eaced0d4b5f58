/// Reads one line as a command, validated against `CommandTable`.
///
/// Returns nil for a blank or comment-only line. Throws a `ParseError` naming the line and
/// column of the offending token, with a suggestion when a word looks like a typo.
public func parseLine(_ text: String, line: Int = 1,
                      file: String? = nil) throws(ParseError) -> Command? {
    try checkOtherToolsWords(text, line: line, file: file)
    var lexer = Lexer(text, line: line, file: file)
    let tokens = try lexer.tokenize()
    guard let first = tokens.first else { return nil }
    let spec = try commandSpec(for: first, line: tokens)
    var segments: [[Argument]] = [[]]
    var options: [Option] = []
    var pipes: [Token] = []
    for token in tokens.dropFirst() {
        switch token.kind {
        case .value(let value):
            segments[segments.count - 1].append(Argument(value, at: token.location))
        case let .option(key, value):
            options.append(Option(key, value, at: token.location))
        case .pipe:
            guard spec.allowsSegments else {
                throw ParseError("'|' only separates layers after 'model'; "
                                 + "give each command its own line", at: token.location)
            }
            if segments[segments.count - 1].isEmpty {
                throw ParseError("expected a layer before '|'", at: token.location)
            }
            segments.append([])
            pipes.append(token)
        }
    }
    if let lastPipe = pipes.last, segments[segments.count - 1].isEmpty {
        throw ParseError("expected a layer after '|', e.g. dense 1 sigmoid",
                         at: SourceLocation(line: line, column: lastPipe.endColumn, file: file))
    }
    // `set lr=0.1`: a word the command takes first, written as an option.
    if segments.allSatisfy(\.isEmpty), options.count == 1, let option = options.first,
       !spec.options.contains(where: { $0.key == option.key }),
       spec.arguments.first?.kind.candidates.contains(option.key) == true {
        throw ParseError("\(spec.name) takes \(option.key) as a word, then its value: no '='", at: option.location,
                         suggestion: "\(spec.name) \(option.key) \(option.value.description)")
    }
    // `predict x=0.5`: a command with no options, given only options, takes its values alone
    // (said before "needs VALUE").
    if spec.options.isEmpty, let option = options.first, segments.allSatisfy(\.isEmpty),
       spec.arguments.contains(where: { !$0.isOptional }) {
        let values = tokens.dropFirst().map { token -> String in
            if case .option(_, let value) = token.kind { value.description } else { token.text }
        }
        throw ParseError("\(spec.name) takes no key=value options: write the values alone, in order", at: option.location,
                         suggestion: ([spec.name] + values).joined(separator: " "))
    }
    let end = SourceLocation(line: line, column: tokens.last?.endColumn ?? 1, file: file)
    let validator = Validator(spec: spec, segmentEnds: pipes.map(\.location) + [end])
    return Command(spec.id, segments: try validator.check(segments),
                   options: try validator.check(options, segments: segments),
                   at: first.location)
}

/// Parses every line of a script; blank and comment lines are skipped. Line numbers are
/// 1-based from the start of `text`.
public func parseScript(_ text: String, file: String? = nil) -> [Result<Command, ParseError>] {
    var results: [Result<Command, ParseError>] = []
    var number = 0
    let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    for line in lines {
        number += 1
        do {
            if let command = try parseLine(String(line), line: number, file: file) {
                results.append(.success(command))
            }
        } catch {
            results.append(.failure(error))
        }
    }
    return results
}

/// The table entry named by the line's first token. A word that a command takes as its first
/// argument (`csv`, `adam`, `mlp`) gets that command (the first in the table, if several) put in
/// front of the whole line as the suggestion: `csv iris.csv` → did you mean 'data csv iris.csv'?
private func commandSpec(for token: Token, line tokens: [Token]) throws(ParseError) -> CommandSpec {
    guard case .value(.word(let name)) = token.kind else {
        if case .option(let key, let value) = token.kind,
           CommandTable.spec(named: "set")?.arguments.first?.kind.candidates.contains(key) == true {
            // `batch=16`: the set-up command of that name when it takes the value, else `set`.
            if let command = CommandTable.spec(named: key), let first = command.arguments.first,
               case .accepted = first.kind.fit(value) {
                throw ParseError("a line starts with a command: '\(key) \(value.description)' sets up the next run, "
                                 + "'set \(key) \(value.description)' changes the current one", at: token.location,
                                 suggestion: "\(key) \(value.description)")
            }
            throw ParseError("a line starts with a command; to change \(key) write "
                             + "'set \(key) VALUE'", at: token.location,
                             suggestion: "set \(key) \(value.description)")
        }
        throw ParseError("expected a command name, found \(excerpt(token.text)) (help lists them)",
                         at: token.location)
    }
    if let spec = CommandTable.spec(named: name) { return spec }
    if let owner = CommandTable.names.first(where: {   // table order: `optimizer` before `compare`
        CommandTable.spec(named: $0)?.arguments.first?.kind.candidates.contains(name) == true
    }) {
        let words = tokens.map(\.text).joined(separator: " ")
        let whole = owner + " " + (words.count > 60 ? name + " …" : words)
        throw ParseError("unknown command \(excerpt(name)); \(excerpt(name)) follows '\(owner)'",
                         at: token.location, suggestion: whole)
    }
    let suggestion = Suggestions.nearest(to: name, in: CommandTable.names)
    let hint = suggestion == nil ? " (help lists the commands)" : ""
    throw ParseError("unknown command \(excerpt(name))\(hint)", at: token.location, suggestion: suggestion)
}

/// Words people bring from shells and other tools, as a line's first word: never accepted (one
/// spelling per command), only answered with Descent's own (`exit` → `quit`, `?` → `help`,
/// Keras' `fit` → `train`), or, for a shell's, with what Descent has instead.
let otherToolsWords: [String: (suggestion: String?, hint: String)] = {
    var words: [String: (suggestion: String?, hint: String)] = [:]
    for word in ["exit", "q", ":q", "bye", "logout"] { words[word] = ("quit", "unknown command '\(word)'") }
    for word in ["?", "man", "h"] { words[word] = ("help", "unknown command '\(word)'") }
    words["cls"] = ("clear", "unknown command 'cls'")
    words["fit"] = ("train", "unknown command 'fit'; Keras' fit is `train` here")
    words["summary"] = ("show layers", "unknown command 'summary'; Keras' summary() is `show layers` here")
    for word in ["ls", "dir", "cd", "pwd", "cat"] {
        words[word] = (nil, "Descent is not a shell: `lessons` lists the lessons, `runs` the kept runs, and Tab completes file names")
    }
    return words
}()

/// Refuses a line whose first word is another tool's (`otherToolsWords`) with Descent's answer.
private func checkOtherToolsWords(_ text: String, line: Int, file: String?) throws(ParseError) {
    let trimmed = text.drop { $0 == " " || $0 == "\t" }
    let word = String(trimmed.prefix { $0 != " " && $0 != "\t" })
    guard !word.isEmpty, CommandTable.spec(named: word) == nil, let known = otherToolsWords[word.lowercased()] else { return }
    let column = text.count - trimmed.count + 1
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    let after = trimmed.dropFirst(word.count).drop(while: blank)   // `fit epochs=5` → `train epochs=5`
    let rest = String(after[..<(after.lastIndex { !blank($0) }.map(after.index(after:)) ?? after.startIndex)])
    throw ParseError(known.hint, at: SourceLocation(line: line, column: column, file: file),
                     suggestion: known.suggestion.map { rest.isEmpty ? $0 : $0 + " " + rest })
}

