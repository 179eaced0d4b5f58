import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import CommandLanguage
import Models
import RunStore

/// The commands that keep a trained model and use it: `save`, `load`, `predict`, `generate`,
/// `serve` and `export`. It holds the model server while `serve` runs, and counts `generate`s
/// (each draws from a generator of its own).
final class ModelCommands {
    let bench: Workbench
    var runs: RunCoordinator { bench.runs }
    var data: DataState? { bench.data }
    /// The model server while `serve` runs, and the run and update its model copy is from.
    /// The model server, its address, the run and update it serves, and the name clients ask
    /// for it by (`/v2/models/{name}`), which stays while later runs replace the model.
    var server: (service: any ModelService, address: String, run: Int?, updates: Int, name: String)?
    /// The request count the front end was last told of (it redraws when it changes).
    var seenRequests = 0
    /// The run and epoch the server's training gauges last heard of.
    var reportedEpoch: (run: Int, epoch: Int) = (0, 0)
    /// `generate` calls since the session began: each draws from its own generator.
    var generated = 0
    /// The models being served, by name: the attention view reads them to follow what the
    /// server writes (a `Predictor` may be used from any thread).
    var servedModels: [String: Predictor] = [:]
    /// `log tensorboard DIR`: the runs' logs being written.
    var tensorBoard: TensorBoardLog?

    init(bench: Workbench) { self.bench = bench }
}

// MARK: - save, load, predict: keeping a trained model and using it

extension ModelCommands {
    /// The current run's model as a file: weights, architecture, preprocessing, training state.
    /// Only for a run no thread drives (its trainer is the session's to read then); `command`
    /// names what asked, for the message when a run is still training.
    func modelFile(for command: String = "save") throws(DescentError) -> ModelFile {
        guard let run = runs.current, let record = bench.currentRecord, record.updates > 0 else {
            // After `cv` or `compare` the latest run is one of several, none of them current.
            switch bench.currentRecord?.role {
            case .fold?, .crossValidation?:
                throw DescentError("`cv` trained a model per fold and none is the current one: `reopen N` a fold's run "
                                   + "(`runs` lists them), or `train` on the whole training set")
            case .racer?:
                throw DescentError("each racer of `compare` is a model of its own: `reopen N` the one to \(command) (`runs` lists them)")
            default:
                throw DescentError("no trained model yet: `train` one first (or `load` a saved one)")
            }
        }
        if case .driven? = runs.currentPhase {
            throw DescentError("run \(run.id) is still training: wait for it to end, or `stop` it, then `\(command)`")
        }
        return try Self.modelFile(of: run, record: record, sessionGenerator: bench.random.generator)
    }

    /// Run `run`'s model as a file, its record's set-up and history with it (what `save` writes
    /// and the run store keeps of an ended run). Its trainer must not be in a thread's hands.
    static func modelFile(of run: Run, record: RunRecord, sessionGenerator: SeededGenerator) throws(DescentError) -> ModelFile {
        let model = run.trainer.model
        guard let architecture = model.architecture, record.setup.data != nil else {
            throw DescentError("the current model is not built yet")
        }
        let data = run.data
        let saved = SavedModel(
            architecture: architecture, foldedHead: model.foldedHead, loss: record.loss,
            parameterCount: model.parameterCount, setup: record.setup,
            preprocessing: .init(schema: data.schema, inputShape: architecture.inputShape,
                                 means: data.standardizer.means, deviations: data.standardizer.deviations,
                                 targetScaling: data.targetScaling, classNames: data.full.classNames,
                                 featureNames: data.full.featureNames),
            split: .init(seed: data.seed, trainRows: data.seed == nil ? data.trainRows : nil,
                         validationRows: data.seed == nil ? data.validationRows : nil,
                         trainCount: data.train.count, validationCount: data.validation.count),
            training: run.trainer.state, sessionGenerator: sessionGenerator,
            metrics: .init(epochs: record.epochs, updates: record.updates, metricName: record.metricName,
                           history: record.epochHistory))
        return ModelFile(model: saved, weights: model.parameterValues)
    }

    func save(_ c: Command) throws(DescentError) {
        guard let given = c.positional(0)?.text else { throw DescentError("save: expected a name, e.g. `save iris-mlp`") }
        let name = try bench.outputPath(given, for: c)
        let file = try modelFile()
        let bytes = try file.write(name: name)
        let (weights, json) = ModelFile.paths(name)
        // The weights are a small part of a small model's file: say what the rest is.
        let tensors = file.model.parameterCount * MemoryLayout<Float>.size
        bench.say("saved \(weights) (\(grouped(bytes)) bytes: \(grouped(file.model.parameterCount)) parameters in \(grouped(tensors)) bytes "
            + "of float32, the rest its header, the set-up and training state as JSON; epoch "
            + "\(file.model.training.epochs), update \(grouped(file.model.training.updates))) and \(json)", .info)
        replaceServed(named: URL(fileURLWithPath: given).deletingPathExtension().lastPathComponent, with: file)
    }

    /// `load NAME`: reads and checks the whole file, makes its data again, builds the model
    /// from its set-up and checks it is the saved architecture, puts the weights and the training
    /// state in, and only then replaces the session's set-up, data and current run.
    func load(_ c: Command) throws(DescentError) {
        guard let name = c.positional(0)?.text else { throw DescentError("load: expected a name, e.g. `load iris-mlp`") }
        if runs.isBusy { throw DescentError("a run is still training: `stop` it first, then load") }
        let path = try bench.inputPath(ModelFile.paths(name).weights, for: c)
        let file = try ModelFile.read(name: path)
        // Named after its file, so `compare iris-model` finds it and `serve` serves it under that name.
        try open(file, from: path, name: URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent, verb: "loaded")
    }

    /// `reopen RUN`: a kept run's final model back from the run store, as `load` reads a file.
    func reopen(_ c: Command) throws(DescentError) {
        guard let value = c.positional(0) else { throw DescentError("reopen: expected a kept run, e.g. `reopen @12`") }
        if runs.isBusy { throw DescentError("a run is still training: `stop` it first, then reopen") }
        let number = try bench.keptRun(referredToBy: value, in: "reopen")
        let store = try bench.store(for: "reopen")
        guard let run = try bench.storeCall({ () throws(StoreError) in try store.run(number) }),
              let bytes = try bench.storeCall({ () throws(StoreError) in try store.weights(of: number) }) else {
            throw DescentError("reopen: @\(number) has no final model kept (a run kept only when it ends; cut short, still "
                               + "going, or with no model of its own such as cv's pooled results)")
        }
        var file = try ModelFile.decode(bytes, path: "@\(number)")
        file.model.metrics.history = Workbench.epochRecords(run.epochs)
        let name = run.summary.name.flatMap { (try? Workbench.checkRunName($0)) != nil ? $0 : nil }
        try open(file, from: "@\(number)", name: name, verb: "reopened")
        // Until it trains on, the run is @N itself (`note`, `runs show` go there); training
        // keeps it as a new run.
        if let id = runs.currentID { runs.update(id) { $0.kept = number } }
    }

    /// Makes `file`'s model the current run (`load`, `reopen`): reads and checks it all, makes
    /// its data again, builds the model from its set-up and checks it is the saved architecture,
    /// puts the weights and the training state in, and only then replaces the session's set-up,
    /// data and current run. `path` names it in messages; `name` is the run's name.
    private func open(_ file: ModelFile, from path: String, name: String?, verb: String) throws(DescentError) {
        let saved = file.model
        guard let spec = saved.setup.data else { throw DescentError("\(path): setup.data: missing") }
        let state = try Self.data(for: saved, spec: spec, path: path)
        let factory = RunFactory(setup: saved.setup, pace: bench.effectivePace, clock: bench.frontEnd.runClock, budget: runs.budget)
        var unused = SeededGenerator(seed: 0)   // every weight is replaced below
        let made = try factory.trainer(for: state, rng: &unused)
        guard made.architecture == saved.architecture else {
            throw DescentError("\(path): its set-up (\(saved.setup.model?.description ?? "no model")) builds another "
                               + "architecture than the one saved with the weights")
        }
        do {
            try made.trainer.model.setParameterValues(file.weights)
            try made.trainer.restore(saved.training)
        } catch {
            throw DescentError("\(path): \(error.description)")
        }
        // Everything checked: the session changes from here on.
        bench.setUpChanged()
        bench.views.selection = nil
        // The saved set-up, except the pace: how fast runs go is the learner's, not the file's.
        var setup = saved.setup
        setup.pace = bench.setup.pace
        bench.setup = setup
        bench.setupFrom = URL(fileURLWithPath: path).lastPathComponent
        bench.data = state
        bench.random = SessionRandom(generator: saved.sessionGenerator, position: .moved)
        let id = runs.nextID
        let experiment = SingleRun()
        let run = factory.run(id: id, made, data: state, epochs: 1, paused: true, experiment: experiment)
        var record = factory.record(id: id, data: state, trainer: made, role: .single, epochs: saved.metrics.epochs)
        record.updates = saved.training.updates
        record.loadedUpdates = saved.training.updates
        record.epochs = saved.training.epochs
        record.epochHistory = saved.metrics.history
        record.status = .loaded
        record.name = name
        // Evaluated now, from the loaded weights: `expect val.acc …` checks the file's model.
        record.trainEvaluation = made.trainer.evaluate(x: state.train.features, y: state.train.targets)
        record.validationEvaluation = made.trainer.evaluate(x: state.validation.features, y: state.validation.targets)
        runs.add(record, run, experiment: experiment)
        try RunCommands(bench: bench).prepare(run)
        // The views show the model now (confusion, layer health), not after an epoch more.
        bench.tell(runs.control(.evaluate, to: run))
        let metric = saved.metrics.validationMetric.map { " · val \(saved.metrics.metricName) \(fmt($0))" } ?? ""
        bench.say("\(verb) \(path): \(saved.setup.model?.description ?? "model") on \(spec.name) · \(grouped(saved.parameterCount)) "
            + "parameters · epoch \(saved.training.epochs), update \(grouped(saved.training.updates))\(metric)", .info)
        let epochs = saved.training.epochs
        bench.say("`predict …` uses it; " + (epochs >= 10 ? "`train epochs=10` trains it 10 more epochs"
                                             : "`train epochs=\(epochs + 10)` trains it on to epoch \(epochs + 10)"), .info)
    }

    /// The saved model's data made again, split as it was, and checked against the saved
    /// preprocessing (a changed data file would give other means).
    private static func data(for saved: SavedModel, spec: DataSpec, path: String) throws(DescentError) -> DataState {
        var generator = SeededGenerator(seed: saved.split.seed ?? saved.setup.seed)
        let full: Dataset, schema: InputSchema
        do {
            (full, _, schema) = try spec.load(rng: &generator)
        } catch {
            throw DescentError("\(path): its data (`\(spec.description)`) cannot be made here: \(error.description); "
                               + "`descent serve` serves the model without it")
        }
        var state: DataState
        if let seed = saved.split.seed {
            do { state = try DataState(full: full, spec: spec, seed: seed, rng: &generator) } catch {
                throw DescentError("\(path): \(error.description)")
            }
        } else {
            guard let train = saved.split.trainRows, let validation = saved.split.validationRows,
                  (train + validation).allSatisfy({ (0..<full.count).contains($0) }) else {
                throw DescentError("\(path): split: expected its seed or row lists within the \(full.count) samples")
            }
            state = DataState(full: full, trainRows: train, validationRows: validation, spec: spec, seed: nil)
        }
        state.schema = schema
        let p = saved.preprocessing
        guard state.train.count == saved.split.trainCount, state.validation.count == saved.split.validationCount,
              state.standardizer.means == p.means, state.standardizer.deviations == p.deviations,
              state.schema == p.schema, full.classNames == p.classNames else {
            throw DescentError("\(path): its data (`\(spec.description)`) is not the data the model was trained on "
                               + "(the split, columns or statistics differ): was the file changed?")
        }
        return state
    }

    /// `predict VALUE …`: one row in the data's own units through the current model.
    func predict(_ c: Command) throws(DescentError) {
        let cells = Self.cells(c.arguments.map(\.value))
        let predictor = try Predictor(try modelFile(for: "predict"))
        let schema = predictor.card.preprocessing.schema
        let prediction: Prediction
        do {
            prediction = try predictor.predict([cells])[0]
        } catch {
            // A column by name; a place in a row of values or symbols counted from 1, as everywhere
            // (the server's JSON errors keep JSON's index from 0).
            let column = error.column.map { Int($0).map { "value \($0 + 1): " } ?? "\($0): " } ?? ""
            let usage = column.isEmpty ? "" : " (a row is: \(schema.usage))"
            throw DescentError("predict: \(column)\(error.reason)\(usage)")
        }
        bench.say(Self.describe(prediction, classes: predictor.card.classNames), .result)
    }

    /// A row's cells from `predict`'s values, separated by spaces or commas (the row's usage, and
    /// a CSV line, write commas: `predict 5.1, 3.5, 1.4, 0.2` and `predict 5.1,3.5,1.4,0.2` are
    /// `predict 5.1 3.5 1.4 0.2`). A quoted value is one cell, commas and all.
    static func cells(_ values: [Value]) -> [InputSchema.Cell] {
        values.flatMap { value -> [InputSchema.Cell] in
            switch value {
            case .number(let x): [.number(x)]
            case .list(let xs): xs.map { .number($0) }
            case .string(let s): [.text(s)]
            case .word(let w):
                w.split(separator: ",").map { piece in
                    Double(piece).flatMap { $0.isFinite ? InputSchema.Cell.number($0) : nil } ?? .text(String(piece))
                }
            case .op(let o): [.text(o)]
            }
        }
    }

    /// `setosa 0.97 · versicolor 0.02 · virginica 0.01`, the likeliest class first.
    static func describe(_ p: Prediction, classes: [String]?) -> String {
        if let answer = p.answer, let probabilities = p.answerProbabilities {
            return "wrote " + answer.joined(separator: " ") + "   (each symbol's probability: "
                + probabilities.map { String(format: "%.2f", $0) }.joined(separator: " ") + ")"
        }
        guard let classes, let index = p.classIndex else { return "predicted \(unitValue(Double(p.value ?? .nan)))" }
        guard let probabilities = p.probabilities else {
            return "predicted \(classes[index]) (score \(fmt(p.value ?? .nan)))"
        }
        let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
        return "predicted \(classes[index]): " + ranked.prefix(10).map { "\(classes[$0]) \(String(format: "%.3f", probabilities[$0]))" }
            .joined(separator: " · ")
    }
}
