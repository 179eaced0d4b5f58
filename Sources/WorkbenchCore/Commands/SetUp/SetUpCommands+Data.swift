import Foundation
import TensorCore
import Datasets
import CommandLanguage
import Models

// MARK: - data: generated, bundled and loaded data sets

extension SetUpCommands {
    /// `data NAME …`: makes or loads the data set, splits it and (for tables) standardises it.
    /// Nothing changes unless every step succeeds: a bad file leaves the current data in place.
    func data(_ c: Command) throws(DescentError) {
        // The files it names, before anything reads them (a missing `label=` reads the header).
        if [.csv, .idx, .text].contains(c.keyword(DatasetName.self)) {
            for index in 1...2 {
                if let path = c.positional(index)?.text {
                    try bench.checkConfined(Self.resolved(path, for: c, lesson: bench.openLesson), writing: false)
                }
            }
        }
        let spec = try Self.dataSpec(from: c, lesson: bench.openLesson)
        var trial = bench.random
        let (full, report, schema) = try spec.load(rng: &trial.generator)
        var state: DataState
        do {
            state = try DataState(full: full, spec: spec, seed: bench.random.position == .fresh ? bench.setup.seed : nil,
                                  rng: &trial.generator)
        } catch {
            throw DescentError("data \(spec.kindWord): \(error.description)")
        }
        state.schema = schema
        trial.position = bench.random.position == .fresh ? .afterData : .moved
        bench.random = trial
        bench.setUpChanged()
        bench.views.selection = nil
        bench.data = state
        bench.setup.data = spec
        for line in report { bench.say(line, .info) }
        bench.say("data \(full.summary) · \(state.train.count) train / \(state.validation.count) validation · "
                  + Self.preprocessingNote(state), .info)
        if let baseline = state.validation.lastValueBaselineMSE {
            bench.say("repeating each sequence's last value scores val MSE \(fmt(baseline)): the baseline a model must beat", .info)
        }
        if let model = bench.setup.model, (try? model.layers(for: full, dropout: bench.setup.dropout)) == nil {
            bench.say("note: model \(model.description) does not fit this data; choose another model", .warning)
        }
    }

    /// A relative file name in a notebook names a file beside the notebook when there is none
    /// in the current folder, so a lesson's data travels with it (`data csv data/flats.csv`).
    /// Typed while a lesson is open (`lesson`), it may also name a file beside the lesson or
    /// beside its folder (`data csv Notebooks/data/flats.csv`, as lesson 14 asks, from any folder).
    static func resolved(_ path: String, for c: Command, lesson: String? = nil) -> String {
        guard !path.hasPrefix("/"), !path.hasPrefix("~"), !FileManager.default.fileExists(atPath: path) else { return path }
        var folders: [URL] = []
        if let notebook = c.location.file { folders.append(URL(fileURLWithPath: notebook).deletingLastPathComponent()) }
        if !Workbench.fromNotebook(c), let lesson {
            let folder = URL(fileURLWithPath: lesson).deletingLastPathComponent()
            folders += [folder, folder.deletingLastPathComponent()]
        }
        return folders.lazy.map { $0.appendingPathComponent(path).path }
            .first { FileManager.default.fileExists(atPath: $0) } ?? path
    }

    /// The data spec a `data` command describes (the command table checked names and ranges).
    static func dataSpec(from c: Command, lesson: String? = nil) throws(DescentError) -> DataSpec {
        guard let name = c.keyword(DatasetName.self) else {
            throw DescentError("data: expected a dataset name, e.g. `data spiral`")
        }
        func file(_ index: Int) -> String? { c.positional(index)?.text.map { resolved($0, for: c, lesson: lesson) } }
        let source: DataSpec.Source
        switch name {
        case .iris: source = .iris
        case .digits: source = .digits
        case .reviews: source = .reviews(n: c.integer("n"), length: c.integer("length"))
        case .sequence: source = .sequence(n: c.integer("n"), length: c.integer("length"), noise: c.number("noise"))
        case .sort, .reverse, .add, .repeats:
            guard let task = SymbolTask(rawValue: name.rawValue) else { throw DescentError("data: unknown task \(name.rawValue)") }
            source = .symbols(task, n: c.integer("n"), length: c.integer("length"), digits: c.integer("digits"))
        case .words: source = .words(length: c.integer("length"))
        case .text:
            guard let path = file(1) else { throw DescentError("data text needs a file: `data text PATH`") }
            source = .text(path: path, length: c.integer("length"))
        case .csv:
            guard let path = file(1) else { throw DescentError("data csv needs a file: `data csv PATH label=COLUMN`") }
            guard let label = c.text("label") else {
                let columns = Self.headerColumns(path).map { ": its columns are " + $0.joined(separator: ", ") } ?? ""
                throw DescentError("data csv: say which column to predict with label=COLUMN\(columns)")
            }
            let task: LabelTreatment? = switch c.option("task").flatMap({ $0.text }).flatMap(LabelTask.init(rawValue:)) {
            case .classes?: .classification
            case .regression?: .regression
            case .auto?: .automatic
            case nil: nil
            }
            source = .csv(path: path, label: label, task: task)
        case .idx:
            guard let images = file(1), let labels = file(2) else {
                throw DescentError("data idx needs two files: `data idx IMAGES LABELS`")
            }
            source = .idx(images: images, labels: labels)
        case .circle, .xor, .gauss, .spiral, .moons, .blobs, .linear, .plane, .sine:
            guard let kind = SyntheticKind(rawValue: name.rawValue) else { throw DescentError("data: unknown dataset \(name.rawValue)") }
            source = .synthetic(kind, n: c.integer("n"), noise: c.number("noise"), classes: c.integer("k"))
        }
        var spec = DataSpec(source, split: c.number("split"), standardize: c.option("standardize")?.text != Switch.off.rawValue)
        if case .csv = source {
            let options = CSVOptions(separator: c.text("sep").flatMap(CSVOptions.Separator.init(rawValue:)) ?? .auto,
                                     decimal: c.text("decimal").flatMap(CSVOptions.DecimalMark.init(rawValue:)) ?? .auto,
                                     missing: c.text("missing").flatMap(CSVOptions.Missing.init(rawValue:)) ?? .error)
            spec.csvOptions = options.isDefault ? nil : options
        }
        return spec
    }

    /// What was done to the features (and a regression table's target) before the model sees them.
    static func preprocessingNote(_ state: DataState) -> String {
        switch state.full.kind {
        case .table:
            guard state.isStandardized else { return "features kept raw (standardize=off)" }
            return state.targetScaling == nil ? "features standardised on the training split"
                : "features and target standardised on the training split (the loss is in the target's standard"
                  + " deviations; predictions and metrics in its units)"
        case .image: return "pixels scaled to [0, 1], not standardised"
        case .tokens: return "texts as word ids (0 = padding, 1 = unknown word), not standardised"
        case .sequence: return "raw values, not standardised"
        case .symbols(let vocabulary, _, _): return "symbols as ids 0…\(vocabulary.count - 1), not standardised"
        }
    }

    /// The names in a CSV file's first line, or nil when it cannot be read.
    static func headerColumns(_ path: String) -> [String]? {
        // As `label=` takes them: a name with a space in quotes.
        Dataset.csvHeader(path: path)?.map { Value.word($0).description }
    }
}

extension Session {
    /// Uses `dataset`, made outside the command language (a benchmark's, a test's), as the data,
    /// split and preprocessed exactly as `data` does with the set-up's seed: the learner's path
    /// from here on, for data no `data` command makes (`DataSpec.Source.given`).
    public func use(_ dataset: Dataset, named name: String, split: Double? = nil) throws(DescentError) {
        let spec = DataSpec(.given(name: name), split: split)
        var generator = SeededGenerator(seed: bench.setup.seed)
        var state: DataState
        do { state = try DataState(full: dataset, spec: spec, seed: bench.setup.seed, rng: &generator) } catch {
            throw DescentError("data \(name): \(error.description)")
        }
        state.schema = InputSchema(of: dataset, oneHot: [])
        bench.random = SessionRandom(generator: generator, position: .afterData)
        bench.setUpChanged()
        bench.views.selection = nil
        bench.data = state
        bench.setup.data = spec
        say("data \(dataset.summary) · \(state.train.count) train / \(state.validation.count) validation · "
            + SetUpCommands.preprocessingNote(state), .info)
    }
}
