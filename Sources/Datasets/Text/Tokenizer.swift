import TensorCore

/// Turns texts into fixed-length rows of token ids, like Keras' `TextVectorization` with
/// `output_sequence_length`.
///
/// Words are maximal runs of letters, digits and apostrophes, lower-cased. The vocabulary is
/// `<pad>` (id 0), `<unk>` (id 1, any word not kept) and then the `size − 2` most frequent words
/// of the fitted texts, by count descending, ties broken alphabetically so one corpus always gives
/// one vocabulary. A text longer than `length` words keeps its first `length`; a shorter one is
/// padded with 0 at the end.
public struct Tokenizer: Equatable, Sendable {
    public static let paddingID = 0
    public static let unknownID = 1

    /// `vocabulary[id]` is the word for `id`; `<pad>` and `<unk>` first.
    public let vocabulary: [String]
    private let ids: [String: Int]

    /// A vocabulary of at most `size` entries (≥ 2: padding and unknown) from `texts`.
    public init(fitting texts: [String], size: Int) {
        var counts: [String: Int] = [:]
        for text in texts { for word in Tokenizer.words(text) { counts[word, default: 0] += 1 } }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        self.init(vocabulary: ["<pad>", "<unk>"] + ranked.prefix(max(size - 2, 0)).map(\.key))
    }

    /// A tokenizer with a given vocabulary (`<pad>` and `<unk>` first), e.g. restored from a file.
    public init(vocabulary: [String]) {
        precondition(vocabulary.count >= 2, "the vocabulary needs <pad> and <unk>")
        self.vocabulary = vocabulary
        var ids: [String: Int] = [:]
        for (id, word) in vocabulary.enumerated().dropFirst(2) where ids[word] == nil { ids[word] = id }
        self.ids = ids
    }

    /// The lower-cased words of `text`, in order.
    public static func words(_ text: String) -> [String] {
        var words: [String] = [], current = ""
        for ch in text.lowercased() {
            if ch.isLetter || ch.isNumber || ch == "'" {
                current.append(ch)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.trimmingApostrophes() }.filter { !$0.isEmpty }
    }

    /// The ids of `text`'s words, truncated or padded to `length`.
    public func encode(_ text: String, length: Int) -> [Int] {
        var out = Tokenizer.words(text).prefix(length).map { ids[$0] ?? Tokenizer.unknownID }
        out += [Int](repeating: Tokenizer.paddingID, count: length - out.count)
        return out
    }

    /// `[n, length]` ids stored as Float, one row per text.
    public func encode(_ texts: [String], length: Int) -> Tensor {
        try! Tensor(shape: [texts.count, length], scalars: texts.flatMap { encode($0, length: length).map(Float.init) })
    }

    /// The words of a row of ids, padding dropped: what the model saw.
    public func decode(_ row: [Int]) -> String {
        row.filter { $0 != Tokenizer.paddingID }
            .map { $0 >= 0 && $0 < vocabulary.count ? vocabulary[$0] : "<unk>" }
            .joined(separator: " ")
    }
}

extension String {
    fileprivate func trimmingApostrophes() -> String {
        var s = Substring(self)
        while s.first == "'" { s = s.dropFirst() }
        while s.last == "'" { s = s.dropLast() }
        return String(s)
    }
}

extension Dataset {
    /// A binary or multi-class text set: texts tokenized by `tokenizer` (fitted on `texts` with
    /// `vocabularySize` entries when nil) to `length` ids each. Features `[n, length]`, kind
    /// `.tokens`. The vocabulary is fitted on every text, labels unseen: like a fixed vocabulary
    /// it uses no label information from the validation split.
    public static func text(name: String, texts: [String], labels: [Int], classNames: [String],
                            vocabularySize: Int = 10_000, length: Int = 100,
                            tokenizer: Tokenizer? = nil) throws(DatasetError) -> Dataset {
        guard texts.count == labels.count, !texts.isEmpty else {
            throw .invalidValue(field: "texts", expected: "one label per text (at least one text)",
                                got: "\(texts.count) texts and \(labels.count) labels")
        }
        guard length >= 1 else { throw .invalidValue(field: "length", expected: "an integer ≥ 1", got: "\(length)") }
        guard vocabularySize >= 3 else {
            throw .invalidValue(field: "vocabulary", expected: "an integer ≥ 3", got: "\(vocabularySize)")
        }
        let tok = tokenizer ?? Tokenizer(fitting: texts, size: vocabularySize)
        return try Dataset(name: name, features: tok.encode(texts, length: length),
                           targets: try! Tensor(shape: [labels.count, 1], scalars: labels.map(Float.init)),
                           task: .classification(classes: classNames.count),
                           featureNames: (0..<length).map { "t\($0 + 1)" }, classNames: classNames,
                           kind: .tokens(vocabulary: tok.vocabulary, length: length))
    }
}
