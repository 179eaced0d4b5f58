/// Checks the arguments and options of one command against its spec, normalising values.
struct Validator {
    let spec: CommandSpec
    /// Where each segment ends (its `|`, or just past the line's last token): where a missing
    /// argument is reported.
    let segmentEnds: [SourceLocation]

    // MARK: - Positional arguments

    /// The segments with every argument checked and normalised.
    func check(_ segments: [[Argument]]) throws(ParseError) -> [[Argument]] {
        if segments.count > 1, let layers = spec.segmentArguments?.first?.kind.keywords {
            try checkNoStandaloneForms(in: segments, layers: layers.map(\.word))
        }
        var checked: [[Argument]] = []
        for (index, segment) in segments.enumerated() {
            // With several segments every one is a layer; presets stand alone.
            let specs = segments.count > 1 ? spec.segmentArguments ?? [] : spec.arguments
            checked.append(try check(segment, against: specs, end: segmentEnds[index]))
        }
        return checked
    }

    /// A first word that is valid alone (a preset such as `mlp`) but not as a `|` segment.
    private func checkNoStandaloneForms(in segments: [[Argument]],
                                        layers: [String]) throws(ParseError) {
        let standalone = spec.arguments.first?.kind.keywords.map(\.word) ?? []
        for segment in segments {
            guard let first = segment.first, case .word(let word) = first.value,
                  standalone.contains(word), !layers.contains(word) else { continue }
            throw ParseError("'\(word)' stands alone; with '|' each part must be "
                             + layers.joined(separator: " or "), at: first.location)
        }
    }

    private func check(_ arguments: [Argument], against specs: [ArgumentSpec],
                       end: SourceLocation) throws(ParseError) -> [Argument] {
        var pending = specs.map { (spec: $0, owner: self.spec.name) }
        var checked: [Argument] = []
        var lastKind: ArgumentKind?
        var position = 0
        while !pending.isEmpty {
            let (argSpec, owner) = pending.removeFirst()
            guard position < arguments.count else {
                if argSpec.isOptional { continue }
                // An argument with a summary of its own is said in those words: `predict needs
                // VALUE: one value per column …`, not the kind's generic "a number or a file name".
                let what = argSpec.summary.isEmpty ? ", \(argSpec.kind.expectation)" : ": \(argSpec.summary)"
                throw ParseError("\(owner) needs \(argSpec.name)\(what)", at: end)
            }
            let argument = arguments[position]
            let value = try accept(argument, as: argSpec)
            if case .keyword(let keywords) = argSpec.kind,
               let keyword = argSpec.kind.keyword(matching: value, in: keywords) {
                pending.insert(contentsOf: keyword.arguments.map { ($0, keyword.word) }, at: 0)
            }
            checked.append(Argument(value, at: argument.location))
            lastKind = argSpec.kind
            position += 1
            // A repeating argument takes the rest of the line, one value after another.
            if argSpec.repeats, position < arguments.count {
                var again = argSpec
                again.isOptional = true
                pending.insert((again, owner), at: 0)
            }
        }
        if position < arguments.count {
            let extra = arguments[position]
            // `model mlp 8 8`: the units of several layers are one word, `8,8`.
            if case .units? = lastKind, case .number = extra.value, case .number = arguments[position - 1].value {
                let numbers = arguments[(position - 1)...].prefix { if case .number = $0.value { true } else { false } }
                let together = numbers.map(\.value.description).joined(separator: ",")
                let before = arguments[..<(position - 1)].map(\.value.description)
                throw ParseError("unexpected \(excerpt(extra.value.description)) — the units of several layers are "
                                 + "written as one word, with commas: \(together)", at: extra.location,
                                 suggestion: ([spec.name] + before + [together]).joined(separator: " "))
            }
            let takes = checked.isEmpty && specs.isEmpty
                ? "\(spec.name) takes no arguments"
                : "usage: \(spec.usage)"
            // `train 50`: a lone number where options go suggests the first option that takes it.
            let option = checked.isEmpty && specs.isEmpty && arguments.count == 1
                ? spec.options.first { option in
                    if option.appliesTo.isEmpty, case .accepted = option.kind.fit(extra.value) { true } else { false }
                } : nil
            throw ParseError("unexpected \(excerpt(extra.value.description)) — \(takes)", at: extra.location,
                             suggestion: option.map { "\(spec.name) \($0.key)=\(extra.value.description)" })
        }
        return checked
    }

    /// The normalised value of `argument`, or an error saying what was expected.
    private func accept(_ argument: Argument, as argSpec: ArgumentSpec) throws(ParseError) -> Value {
        if case .accepted(let value) = argSpec.kind.fit(argument.value) { return value }
        throw rejection(of: argument.value, at: argument.location, noun: argSpec.noun,
                        kind: argSpec.kind)
    }

    // MARK: - Options

    /// The options, each known to the command, applicable, given once and in range.
    func check(_ options: [Option], segments: [[Argument]]) throws(ParseError) -> [Option] {
        var seen: Set<String> = []
        var checked: [Option] = []
        // The first word picks a form (`data blobs`, `optimizer adam`) that options may depend on.
        let keyword = spec.arguments.first?.kind.keywords.isEmpty == false
            ? segments.first?.first?.value.text : nil
        for option in options {
            guard let optionSpec = spec.option(option.key) else {
                throw unknownOption(option, keyword: keyword)
            }
            if !optionSpec.appliesTo.isEmpty, !optionSpec.appliesTo.contains(keyword ?? "") {
                let targets = optionSpec.appliesTo.map { "\(spec.name) \($0)" }
                throw ParseError("option '\(option.key)' applies only to "
                                 + targets.joined(separator: ", "), at: option.location)
            }
            guard seen.insert(option.key).inserted else {
                throw ParseError("option '\(option.key)' is given twice", at: option.location)
            }
            let valueLocation = SourceLocation(line: option.location.line,
                                               column: option.location.column + option.key.count + 1,
                                               file: option.location.file)
            guard case .accepted(let value) = optionSpec.kind.fit(option.value) else {
                throw rejection(of: option.value, at: valueLocation, noun: option.key,
                                kind: optionSpec.kind)
            }
            checked.append(Option(option.key, value, at: option.location))
        }
        return checked
    }

    /// An unknown key, listing (and suggesting from) the options valid after `keyword`.
    private func unknownOption(_ option: Option, keyword: String?) -> ParseError {
        let applicable = spec.options.filter { $0.appliesTo.isEmpty || $0.appliesTo.contains(keyword ?? "") }
        let keys = applicable.map(\.key)
        let subject = [spec.name, keyword].compactMap { $0 }.joined(separator: " ")
        guard !keys.isEmpty else {
            return ParseError("\(subject) takes no options", at: option.location)
        }
        let valid = keys.map { "\($0)=" }.joined(separator: " ")
        return ParseError("unknown option \(excerpt(option.key + "=")) for \(subject) (options: \(valid))",
                          at: option.location,
                          suggestion: (applicable.first { $0.otherNames.contains(option.key.lowercased()) }?.key
                                       ?? Suggestions.nearest(to: option.key, in: keys)).map { "\($0)=" })
    }

    // MARK: - Messages

    /// An error for a value `kind` does not accept: `unknown optimizer 'adma'` with a
    /// suggestion, or `dropout rate must be a number in [0, 1), not 1.5`.
    private func rejection(of value: Value, at location: SourceLocation, noun: String,
                           kind: ArgumentKind) -> ParseError {
        let choices = kind.candidates
        if case .word(let word) = value, !choices.isEmpty {
            // Another name (`show loss`), a near spelling, or a near spelling of another name.
            var suggestion = kind.keyword(calledOtherwise: word)?.word ?? Suggestions.nearest(to: word, in: choices)
                ?? Suggestions.nearest(to: word, in: kind.otherNames).flatMap { kind.keyword(calledOtherwise: $0)?.word }
            // A file where a keyword belongs (`data scores.csv`): the keyword its extension names.
            if let dot = word.lastIndex(of: "."), case let ext = word[word.index(after: dot)...].lowercased(),
               choices.contains(ext) {
                suggestion = "\(ext) \(word)"
            }
            if kind.isVocabulary {
                let hint = suggestion == nil ? "; expected \(kind.expectation)" : ""
                return ParseError("unknown \(noun) \(excerpt(word))\(hint)", at: location,
                                  suggestion: suggestion)
            }
            return ParseError("\(noun) must be \(kind.expectation), not \(excerpt(word))", at: location,
                              suggestion: suggestion)
        }
        let text = value.description
        let shown = if case .word(let word) = value { excerpt(word) } else { text.count > 40 ? excerpt(text) : text }
        return ParseError("\(noun) must be \(kind.expectation), not \(shown)", at: location)
    }
}
