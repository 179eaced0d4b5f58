import TensorCore
import NeuralEngine
import CommandLanguage
import Models

// MARK: - cv and compare: several runs as one experiment

extension RunCommands {
    /// `cv k=5 epochs=N`: stratified K-fold cross-validation of the current set-up. Each fold is
    /// a run of its own (listed by `runs`, stoppable with `stop`); the session stays busy until
    /// the last fold ends, so a notebook waits for all of them.
    func crossValidate(_ c: Command) throws(DescentError) {
        if runs.isBusy { throw DescentError("a run is still going: `stop` it first") }
        guard let data = bench.data else { throw DescentError("no data yet: try `data iris`") }
        guard let model = bench.setup.model else { throw DescentError("no model yet: try `model softmax`") }
        let k = c.integer(orDefault: "k")
        let epochs = c.integer(orDefault: "epochs")
        var trial = bench.random
        let folds: [(train: [Int], validation: [Int])]
        do {
            folds = try data.full.stratifiedFolds(k: k, rng: &trial.generator)
        } catch {
            throw DescentError("cv k=\(k): \(data.full.count) samples cannot make \(k) folds; try a smaller k")
        }
        let cv = CrossValidation(k: k, epochs: epochs, data: data, folds: folds, initRNG: trial.generator.split(),
                                 factory: bench.factory, scripted: bench.scripted)
        let first = try cv.prepare(fold: 0)
        trial.position = .moved
        bench.random = trial
        let sizes = Set(folds.map(\.validation.count)).sorted().map(String.init).joined(separator: " or ")
        bench.tell([.crossValidationStarted(name: cv.name, k: k, foldSizes: sizes, stratified: data.task.classCount != nil,
                                            model: model.description, epochs: epochs)])
        bench.tell(cv.launch(first, fold: 0, in: runs))
    }

    /// `compare OPTIMIZER … [epochs=N] [lr=X] [lr.OPTIMIZER=X]`: an optimizer race from the
    /// set-up; `compare RUN …`: overlays kept runs.
    func compare(_ c: Command) throws(DescentError) {
        if runs.isBusy { throw DescentError("a run is still going: `stop` it first") }
        let values = c.arguments.map(\.value)
        let optimizers = values.compactMap { $0.text.flatMap(OptimizerKind.init(rawValue:)) }
        if optimizers.isEmpty {
            // This session's runs by number, name or `last N`; kept runs of any session by @N or @TAG.
            let compared = try bench.runRecords(referredToBy: values.filter { !Workbench.isKeptReference($0) }, in: "compare")
            var ids: [Int] = []
            for r in compared where !ids.contains(r.id) { ids.append(r.id) }
            var kept: [RunRecord] = []
            for value in values where Workbench.isKeptReference(value) {
                let number = try bench.keptRun(referredToBy: value, in: "compare")
                let (record, isThisSession) = try bench.keptRecord(number, in: "compare")
                if isThisSession {
                    if !ids.contains(record.id) { ids.append(record.id) }
                } else if !kept.contains(where: { $0.kept == number }) {
                    kept.append(record)
                }
            }
            bench.views.overlay = ViewState.Overlay(runs: ids, whileCurrent: runs.currentID, kept: kept.isEmpty ? nil : kept)
            bench.tell([.compared(ids.map { bench.records[$0 - 1] } + kept)])
            return
        }
        guard optimizers.count == values.count else {
            throw DescentError("compare: race optimizers (sgd, momentum, adam …) or overlay runs (names, numbers, `last N`), not both")
        }
        let kinds = optimizers
        guard let data = bench.data else { throw DescentError("no data yet: try `data spiral`") }
        guard let model = bench.setup.model else { throw DescentError("no model yet: try `model mlp 8,8 act=tanh`") }
        let epochs = c.integer(orDefault: "epochs")
        let commonRate = c.number("lr").map(Float.init) ?? bench.setup.optimizer.learningRate
        let configs = kinds.map { kind -> OptimizerConfig in
            var config = OptimizerConfig(kind)
            config.learningRate = c.number("lr.\(kind.rawValue)").map(Float.init) ?? commonRate
            return config
        }
        var trial = bench.random
        let initRNG = trial.generator.split()
        var racers = bench.factory
        if kinds.contains(.gd) { racers.setup.batch = .full }
        let race = try Race(configs: configs, epochs: epochs, data: data, factory: racers, initRNG: initRNG,
                            scripted: bench.scripted, coordinator: runs)
        trial.position = .moved
        bench.random = trial
        bench.views.overlay = ViewState.Overlay(runs: race.runIDs, whileCurrent: runs.currentID)
        bench.tell([.raceStarted(runs: race.runIDs, optimizers: configs.map(\.description), epochs: epochs, model: model.description)])
    }
}
