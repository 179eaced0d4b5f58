import TensorCore
import NeuralEngine
import Training
import Models

/// An optimizer race (`compare sgd momentum adam`): one run per optimizer, all from the same
/// initial weights and the same batch order (one generator, copied for each), trained at once.
/// Only the update rule differs, so their curves can be read side by side. The racers print no
/// epoch lines (they arrive in whatever order the threads make); the race prints one table, in
/// the racers' order, when the last ends.
final class Race: Experiment {
    /// The racers' run ids, in the order the learner named them.
    private(set) var runIDs: [Int] = []
    private var ended: Set<Int> = []
    private(set) var isRunning = true

    /// Starts one racer per optimizer in `configs`, each a fresh model drawn from `initRNG`.
    /// Throws (before any run starts) when the set-up cannot make a model for the data.
    init(configs: [OptimizerConfig], epochs: Int, data: DataState, factory: RunFactory, initRNG: SeededGenerator,
         scripted: Bool, coordinator: RunCoordinator) throws(DescentError) {
        var prepared: [(RunFactory, (trainer: Trainer, loss: LossKind, architecture: ModelArchitecture))] = []
        for config in configs {
            var racer = factory
            racer.setup.optimizer = config
            var rng = initRNG   // the same weights, and the same shuffles after them, for every racer
            prepared.append((racer, try racer.trainer(for: data, rng: &rng)))
        }
        for (racer, made) in prepared {
            let id = coordinator.nextID
            var record = racer.record(id: id, data: data, trainer: made, role: .racer, epochs: epochs)
            record.reportsEpochs = false
            let run = racer.run(id: id, made, data: data, epochs: epochs, paused: false, experiment: self)
            run.scripted = scripted
            coordinator.add(record, run, experiment: self)
            coordinator.start(run)   // driven at once: making the next racer current keeps its model
            runIDs.append(id)
        }
    }

    func runEnded(_ run: Run, coordinator: RunCoordinator) -> [Notice] {
        ended.insert(run.id)
        guard ended.count == runIDs.count else { return [] }
        isRunning = false
        // The last racer stays current with its model; the others keep their records.
        for id in runIDs where id != coordinator.currentID { coordinator.releaseIfIdle(id) }
        return [.raceEnded(runIDs.map { coordinator.records[$0 - 1] })]
    }

    func requestStop() {}
}
