import Foundation
import TensorCore
import Datasets
import CommandLanguage

/// What `data …` asked for, as a value: where the samples come from, the split and whether
/// tables are standardised. `load(rng:)` makes the data set; `description` is the command.
public struct DataSpec: Equatable, Codable, Sendable {
    public enum Source: Equatable, Codable, Sendable {
        /// A generated set; nil options take the kind's defaults.
        case synthetic(SyntheticKind, n: Int?, noise: Double?, classes: Int?)
        case iris
        case digits
        case reviews(n: Int?, length: Int?)
        case sequence(n: Int?, length: Int?, noise: Double?)
        /// minGPT's sort, reverse and add problems (`SymbolTask`).
        case symbols(SymbolTask, n: Int?, length: Int?, digits: Int?)
        /// The bundled English words, for a character-level model.
        case words(length: Int?)
        /// A learner's own text file, for a character-level model.
        case text(path: String, length: Int?)
        case csv(path: String, label: String, task: LabelTreatment?)
        case idx(images: String, labels: String)
        /// Data made outside the command language (a benchmark's, a test's): it cannot be made
        /// again, so a model trained on it can be saved but not loaded with its data.
        case given(name: String)
    }

    public var source: Source
    /// The training fraction; nil: 0.8.
    public var split: Double?
    /// false after `standardize=off`.
    public var standardize: Bool
    /// How a CSV file is read, when not the defaults (`sep=`, `decimal=`, `missing=`).
    public var csvOptions: CSVOptions?

    public init(_ source: Source, split: Double? = nil, standardize: Bool = true) {
        self.source = source
        self.split = split
        self.standardize = standardize
    }

    public static let defaultSplit = 0.8

    /// Samples of `data sort`, `reverse` and `add` unless n= says otherwise: 8,000 to train on
    /// (minGPT's sort demo trains on 2,000 batches of 64 drawn afresh, 128,000 samples; sorting
    /// six digits of three kinds has only 729 distinct problems).
    public static let defaultSymbolSamples = 10_000

    /// The most values a generated text or sequence set may hold (n × length): making a billion
    /// tokens froze the screen for 40 s and took 8 GB.
    public static let maxGeneratedValues = 20_000_000

    /// The data set's name as runs list it: `spiral n=400 noise=0.1`, `iris`.
    public var name: String { String(description.dropFirst("data ".count)) }

    /// The command that makes it, in the command language's canonical spelling:
    /// `data spiral n=400 noise=0.1`.
    public var description: String {
        var words = ["data"]
        func option(_ key: String, _ value: Value?) {
            if let value { words.append("\(key)=\(value)") }
        }
        func number(_ x: Double?) -> Value? { x.map(Value.number) }
        func number(_ x: Int?) -> Value? { x.map { Value.number(Double($0)) } }
        func quoted(_ text: String) -> String { Value.word(text).description }
        switch source {
        case let .synthetic(kind, n, noise, classes):
            words.append(kind.rawValue)
            option("n", number(n))
            option("noise", number(noise))
            option("k", number(classes))
        case .iris: words.append("iris")
        case .digits: words.append("digits")
        case let .reviews(n, length):
            words.append("reviews")
            option("n", number(n))
            option("length", number(length))
        case let .sequence(n, length, noise):
            words.append("sequence")
            option("n", number(n))
            option("length", number(length))
            option("noise", number(noise))
        case let .symbols(task, n, length, digits):
            words.append(task.rawValue)
            option("n", number(n))
            option("length", number(length))
            option("digits", number(digits))
        case .words(let length):
            words.append("words")
            option("length", number(length))
        case let .text(path, length):
            words += ["text", quoted(path)]
            option("length", number(length))
        case let .csv(path, label, task):
            words += ["csv", quoted(path)]
            option("label", .word(label))
            option("task", task.map { .word(Self.taskWord($0)) })
            if let csv = csvOptions {
                if csv.separator != .auto { option("sep", .word(csv.separator.rawValue)) }
                if csv.decimal != .auto { option("decimal", .word(csv.decimal.rawValue)) }
                if csv.missing != .error { option("missing", .word(csv.missing.rawValue)) }
            }
        case let .idx(images, labels):
            words += ["idx", quoted(images), quoted(labels)]
        case .given(let name):
            return "data \(name) (given, not made by a command)"
        }
        option("split", number(split))
        if !standardize { words.append("standardize=off") }
        return words.joined(separator: " ")
    }

    static func taskWord(_ task: LabelTreatment) -> String {
        switch task {
        case .automatic: "auto"
        case .classification: "classes"
        case .regression: "regression"
        }
    }

    /// Makes the data set, drawing from `rng` where it is generated; also returns lines that
    /// report what loading did (columns encoded, classes mapped) and the columns a row is
    /// written in (`predict`, the model server).
    public func load(rng: inout SeededGenerator) throws(DescentError) -> (dataset: Dataset, report: [String], schema: InputSchema) {
        let (dataset, report, oneHot) = try loadEncoded(rng: &rng)
        return (dataset, report, InputSchema(of: dataset, oneHot: oneHot))
    }

    private func loadEncoded(rng: inout SeededGenerator) throws(DescentError)
        -> (dataset: Dataset, report: [String], oneHot: [CSVImport.OneHot]) {
        do {
            switch source {
            case let .synthetic(kind, n, noise, classes):
                var options = SyntheticOptions()
                options.n = n
                options.noise = noise
                if let classes { options.classes = classes }
                return (try Dataset.synthetic(kind, options: options, rng: &rng), [], [])
            case .iris: return (try Dataset.iris(), [], [])
            case .digits: return (try Dataset.digits(), [], [])
            case let .reviews(n, length):
                let (n, length) = try Self.checkGenerated("reviews", n: n ?? 2_000, length: length ?? 24)
                return (try Dataset.reviews(count: n, length: length), [], [])
            case let .sequence(n, length, noise):
                let (n, length) = try Self.checkGenerated("sequence", n: n ?? 1_000, length: length ?? 20)
                return (try Dataset.sineSequence(count: n, length: length, noise: noise ?? 0.05, rng: &rng), [], [])
            case let .symbols(task, n, length, digits):
                return (try Dataset.symbolTask(task, count: n ?? Self.defaultSymbolSamples, length: length ?? task.defaultLength, digits: digits,
                                               rng: &rng), [], [])
            case .words(let length):
                return (try Dataset.words(length: length ?? 16, rng: &rng), [], [])
            case let .text(path, length):
                return (try Dataset.textFile(path: path, length: length ?? 32), [], [])
            case let .csv(path, label, task):
                let loaded = try Dataset.csv(path: path, label: label, labelTreatment: task ?? .automatic,
                                             options: csvOptions ?? CSVOptions())
                return (loaded.dataset, loaded.report, loaded.oneHot)
            case let .idx(images, labels):
                return (try Dataset.idx(images: images, labels: labels), [], [])
            case .given(let name):
                throw DescentError("data \(name) was given by the program that made it, not made by a command: it cannot be made again here")
            }
        } catch let error as DescentError {
            throw error
        } catch {
            throw DescentError("data \(kindWord): \(error)")
        }
    }

    /// The dataset word of the command: `spiral`, `csv` …
    public var kindWord: String { description.split(separator: " ").dropFirst().first.map(String.init) ?? "" }

    private static func checkGenerated(_ name: String, n: Int, length: Int) throws(DescentError) -> (Int, Int) {
        guard n * length <= maxGeneratedValues else {
            throw DescentError("data \(name): n × length must be at most \(grouped(maxGeneratedValues)) values "
                               + "(\(maxGeneratedValues * 4 / 1_000_000) MB), got \(grouped(n)) × \(grouped(length)) = \(grouped(n * length))")
        }
        return (n, length)
    }
}
