import Foundation
import TensorCore

/// Text for a character-level model (minGPT's `CharDataset`, Karpathy's makemore).
///
/// The vocabulary is the text's distinct characters, sorted. The text is cut into windows of
/// `length` + 1 characters that do not overlap; a window's first `length` characters are the
/// input and its last `length` the targets (each position predicts the next character), every
/// position scored. Windows that do not overlap keep validation text out of training when the
/// split sends whole windows to one side.
extension Dataset {
    /// The most characters `data text` reads (10 MB of text; 600,000 windows of 16).
    public static let maxTextCharacters = 10_000_000
    /// The most distinct characters a text may use.
    public static let maxTextVocabulary = 512

    /// Windows of `text` (see above), named `name`. Throws naming the field when the text is too
    /// short for two windows, too long, or uses too many distinct characters.
    public static func characters(_ text: String, name: String, length: Int) throws(DatasetError) -> Dataset {
        guard SymbolTask.lengths.lowerBound...256 ~= length else {
            throw .invalidValue(field: "length", expected: "2…256 characters", got: "\(length)")
        }
        let characters = Array(text)
        guard characters.count <= maxTextCharacters else {
            throw .invalidValue(field: name, expected: "at most \(maxTextCharacters) characters", got: "\(characters.count)")
        }
        let windows = characters.count / (length + 1)
        guard windows >= 2 else {
            throw .invalidValue(field: name, expected: "at least \(2 * (length + 1)) characters (two windows of length + 1)",
                                got: "\(characters.count)")
        }
        let vocabulary = Set(characters).map(String.init).sorted()
        guard vocabulary.count <= maxTextVocabulary else {
            throw .invalidValue(field: name, expected: "at most \(maxTextVocabulary) distinct characters", got: "\(vocabulary.count)")
        }
        let index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        var features = Tensor(shape: [windows, length]), targets = Tensor(shape: [windows, length])
        for w in 0..<windows {
            let start = w * (length + 1)
            for t in 0..<length {
                features.scalars[w * length + t] = Float(index[String(characters[start + t])]!)
                targets.scalars[w * length + t] = Float(index[String(characters[start + t + 1])]!)
            }
        }
        return Dataset(unchecked: name, features: features, targets: targets,
                       task: .sequence(vocabulary: vocabulary.count, answers: false),
                       featureNames: (0..<length).map { "c\($0 + 1)" }, classNames: [],
                       kind: .symbols(vocabulary: vocabulary, length: length, prompt: 0))
    }

    /// The bundled English words (`Resources/words.txt`, see its README), shuffled by `rng` and
    /// written one after another, each ended by `.`: a model learns to spell word-like strings
    /// and to end them.
    public static func words(length: Int = 16, rng: inout SeededGenerator) throws(DatasetError) -> Dataset {
        let file = try BundledData.url("words.txt")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw .badFile(path: file.path, location: "", expected: "UTF-8 text", got: "an unreadable file")
        }
        var words = text.split(whereSeparator: \.isNewline).map(String.init)
        words.fisherYatesShuffle(using: &rng)
        return try characters(words.map { $0 + "." }.joined(), name: "words", length: length)
    }

    /// A learner's own text file, read whole: UTF-8, not empty, no NUL bytes (a binary file),
    /// at most `maxTextCharacters` characters. Errors name the file and, for bad bytes, the offset.
    public static func textFile(path: String, length: Int = 32) throws(DatasetError) -> Dataset {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badFile(path: path, location: "", expected: "a readable text file", got: "no such file or no permission")
        }
        guard data.count <= 4 * maxTextCharacters else {
            throw .badFile(path: path, location: "", expected: "at most \(maxTextCharacters / 1_000_000) MB of text",
                           got: "\(data.count) bytes")
        }
        guard !data.isEmpty else { throw .badFile(path: path, location: "", expected: "some text", got: "an empty file") }
        if let zero = data.firstIndex(of: 0) {
            throw .badFile(path: path, location: "byte \(zero - data.startIndex)", expected: "text",
                           got: "a NUL byte (a binary file?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = firstInvalidUTF8(data)
            throw .badFile(path: path, location: "byte \(offset)", expected: "UTF-8 text", got: "bytes that are not UTF-8")
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        do {
            return try characters(text, name: name, length: length)
        } catch let DatasetError.invalidValue(_, expected, got) {
            throw .badFile(path: path, location: "", expected: expected, got: got)
        }
    }

    /// The offset of the first byte that does not continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ data: Data) -> Int {
        var decoder = UTF8()
        var iterator = data.makeIterator()
        var consumed = 0, start = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                start += UTF8.width(scalar)
                consumed = start
            case .emptyInput: return consumed
            case .error: return start
            }
        }
    }
}
