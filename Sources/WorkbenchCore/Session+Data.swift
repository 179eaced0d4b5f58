import Foundation
import TensorCore
import Datasets
import CommandLanguage

// MARK: - data: generated, bundled and loaded data sets

extension Session {
    /// The most values a generated text or sequence set may hold (n × length): making a billion
    /// tokens froze the screen for 40 s and took 8 GB.
    static let maxGeneratedValues = 20_000_000

    /// `data NAME …`: makes or loads the data set, splits it and (for tables) standardises it.
    /// Nothing changes unless every step succeeds: a bad file leaves the current data in place.
    func dataCommand(_ c: Command) throws(SessionError) {
        guard let name = c.keyword else { throw SessionError("data: expected a dataset name, e.g. `data spiral`") }
        if isBusy { throw SessionError("a run is still training on the current data: `stop` it first") }
        if name == "reviews" || name == "sequence" {
            let n = c.integer("n") ?? (name == "reviews" ? 2_000 : 1_000)
            let length = c.integer("length") ?? (name == "reviews" ? 24 : 20)
            if n * length > Self.maxGeneratedValues {
                throw SessionError("data \(name): n × length must be at most \(grouped(Self.maxGeneratedValues)) values "
                                   + "(\(Self.maxGeneratedValues * 4 / 1_000_000) MB), got \(grouped(n)) × \(grouped(length)) = \(grouped(n * length))")
            }
        }
        var trial = rng
        var report: [String] = []
        let full: Dataset
        do {
            switch name {
            case "iris": full = try Dataset.iris()
            case "digits": full = try Dataset.digits()
            case "reviews": full = try Dataset.reviews(count: c.integer("n") ?? 2_000, length: c.integer("length") ?? 24)
            case "sequence":
                full = try Dataset.sineSequence(count: c.integer("n") ?? 1_000, length: c.integer("length") ?? 20,
                                                noise: c.number("noise") ?? 0.05, rng: &trial)
            case "csv":
                let loaded = try loadCSV(c)
                full = loaded.dataset
                report = loaded.report
            case "idx":
                guard let images = c.positional(1)?.text, let labels = c.positional(2)?.text else {
                    throw SessionError("data idx needs two files: `data idx IMAGES LABELS`")
                }
                full = try Dataset.idx(images: images, labels: labels)
            default:
                guard let kind = SyntheticKind(rawValue: name) else {
                    throw SessionError("data: unknown dataset '\(name)'")
                }
                var options = SyntheticOptions()
                options.n = c.integer("n")
                options.noise = c.number("noise")
                if let k = c.integer("k") { options.classes = k }
                full = try Dataset.synthetic(kind, options: options, rng: &trial)
            }
        } catch let error as SessionError {
            throw error
        } catch {
            throw SessionError("data \(name): \(error)")
        }
        let state: DataState
        do {
            state = try DataState(full: full, trainFraction: c.number("split") ?? 0.8, rng: &trial,
                                  source: c.description, standardize: c.text("standardize") != "off")
        } catch {
            throw SessionError("data \(name): \(error.description)")
        }
        rng = trial
        detachIdleRun()
        data = state
        probeGrid = ProbeGrid(data: state)
        for line in report { say(line, .info) }
        say("data \(full.summary) · \(state.train.count) train / \(state.validation.count) validation · "
            + Self.preprocessingNote(state), .info)
        if let baseline = state.validation.lastValueBaselineMSE {
            say("repeating each sequence's last value scores val MSE \(fmt(baseline)): the baseline a model must beat", .info)
        }
        if let spec = modelSpec, (try? spec.layers(for: full, dropout: dropout)) == nil {
            say("note: model \(spec.description) does not fit this data; choose another model", .warning)
        }
    }

    /// What was done to the features before the model sees them.
    static func preprocessingNote(_ state: DataState) -> String {
        switch state.full.kind {
        case .table:
            return state.isStandardized ? "features standardised on the training split"
                                        : "features kept raw (standardize=off)"
        case .image: return "pixels scaled to [0, 1], not standardised"
        case .tokens: return "texts as word ids (0 = padding, 1 = unknown word), not standardised"
        case .sequence: return "raw values, not standardised"
        }
    }

    /// `data csv PATH label=COLUMN [task=…]`.
    private func loadCSV(_ c: Command) throws -> CSVImport {
        guard let path = c.positional(1)?.text else { throw SessionError("data csv needs a file: `data csv PATH label=COLUMN`") }
        guard let label = c.text("label") else {
            let columns = Self.headerColumns(path).map { ": its columns are " + $0.joined(separator: ", ") } ?? ""
            throw SessionError("data csv: say which column to predict with label=COLUMN\(columns)")
        }
        let treatment: LabelTreatment = switch c.text("task") {
        case "classes"?: .classification
        case "regression"?: .regression
        default: .automatic
        }
        return try Dataset.csv(path: path, label: label, labelTreatment: treatment)
    }

    /// The names in a CSV file's first line, or nil when it cannot be read.
    static func headerColumns(_ path: String) -> [String]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let first = text.split(whereSeparator: \.isNewline).first else { return nil }
        return first.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"")) }
    }
}
