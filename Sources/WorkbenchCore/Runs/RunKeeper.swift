import Foundation
import CommandLanguage
import Models
import TensorCore
import RunStore

/// What the coordinator tells of runs as they come and go.
protocol RunObserver: AnyObject {
    /// Run `record` was just added (made current next); `experiment` is what it belongs to.
    func added(_ record: RunRecord, experiment: (any Experiment)?, coordinator: RunCoordinator)
    /// Run `run` ended and was evaluated; its model is still there.
    func ended(_ run: Run, coordinator: RunCoordinator)
}

/// Keeps every run of the session in the run store as it goes: a run when it is made (its
/// set-up, seed, data, the commands that made it), each epoch as the session takes it in, its
/// status, figures and live changes when they change, and at its end its record and its model
/// as `save` writes it. One transaction per poll, on the front end's thread: the training
/// threads never wait for the disk.
///
/// The first failure (a full disk, a store another program damaged) stops the keeping for the
/// rest of the session with one message; the session goes on.
final class RunKeeper: RunObserver {
    let store: RunStore
    /// Store numbers of this session's kept runs, by session run.
    private(set) var kept: [Int: Int] = [:]
    /// Runs added since the last write: the commands that made them, their experiment's first
    /// run, and whether the command that made them is still running (it is noted when it returns).
    private var pending: [(id: Int, commands: [String], experimentFirstRun: Int?, awaitsCommand: Bool)] = []
    /// True while a command runs.
    private var inCommand = false
    /// Epochs of each run already written.
    private var epochsWritten: [Int: Int] = [:]
    /// What was last written of each run's progress (`signature`).
    private var written: [Int: String] = [:]
    /// Ended runs' models (as `save` writes them), to write with their end.
    private var endedWeights: [Int: [UInt8]] = [:]
    /// Each experiment's first run, by the experiment's identity (a race's racers, cv's folds).
    private var experimentFirstRuns: [ObjectIdentifier: Int] = [:]
    /// The commands of the session so far that `record` would keep, in order.
    private(set) var commands: [String] = []
    /// This session's runs deleted from the store: never written again.
    var deleted: Set<Int> = []
    /// Why keeping stopped, once it did.
    private(set) var failure: StoreError?
    /// A store made for one replay and deleted after it: its path is not worth telling.
    var isScratch = false
    /// The session generator's state, for the model files of ended runs.
    var sessionGenerator: () -> SeededGenerator

    init(store: RunStore, sessionGenerator: @escaping () -> SeededGenerator) {
        self.store = store
        self.sessionGenerator = sessionGenerator
    }

    /// A command starts: runs added until it returns were made by it.
    func commandStarts() { inCommand = true }

    /// The command that started ran; `command` is nil when it failed. The ones `record` keeps
    /// are noted, and are the last of the commands of the runs they made.
    func commandEnded(_ command: Command?, source: String?) {
        inCommand = false
        guard let command, !command.traits.contains(.unrecorded) else { return }
        let line = source ?? command.description
        // Nothing before a fresh set-up (`reset`: seed 42, no data, model or run) makes a later run.
        if command.id == .reset { commands.removeAll() }
        commands.append(line)
        for i in pending.indices where pending[i].awaitsCommand {
            pending[i].commands.append(line)
            pending[i].awaitsCommand = false
        }
    }

    /// Notes that the set-up started afresh (a lesson opened): a later run's commands start
    /// there, with the `reset` that makes the same fresh set-up (what came before makes none of it).
    func noteFreshStart() { commands = [CommandID.reset.rawValue] }

    // MARK: - RunObserver

    func added(_ record: RunRecord, experiment: (any Experiment)?, coordinator: RunCoordinator) {
        guard failure == nil else { return }
        var first: Int?
        switch record.role {
        case .single: first = nil
        case .fold(let index, _): first = record.id - index + 1
        case .crossValidation(let k): first = record.id - k
        case .racer:
            if let experiment {
                let key = ObjectIdentifier(experiment)
                first = experimentFirstRuns[key] ?? record.id
                experimentFirstRuns[key] = first
            }
        }
        pending.append((record.id, commands, first, inCommand))
    }

    func ended(_ run: Run, coordinator: RunCoordinator) {
        guard failure == nil else { return }
        let record = coordinator.records[run.id - 1]
        guard record.updates > 0, var file = try? ModelCommands.modelFile(of: run, record: record, sessionGenerator: sessionGenerator())
        else { return }
        // The history is in the epoch table (`reopen` puts it back): a run of 16,000 epochs
        // would otherwise carry 2 MB of it in its weights' metadata.
        file.model.metrics.history = []
        guard let bytes = try? file.safetensors() else { return }
        endedWeights[run.id] = bytes
    }

    // MARK: - Writing

    /// At most this often while runs go on (a headless session polls every 2 ms; a screen 30
    /// times a second): a `kill -9` loses at most the epochs of the last interval.
    static let interval = 0.1
    private var lastWrite = 0.0

    /// Writes what changed since the last write in one transaction: at once when `now` is true,
    /// when a run was added or ended, else at most every `interval`. Returns the message to tell
    /// when keeping stopped just now.
    func write(_ coordinator: RunCoordinator, now: Bool = false) -> String? {
        guard failure == nil else { return nil }
        let clock = Double(DispatchTime.now().uptimeNanoseconds) / 1e9
        let added = pending.contains { coordinator.records[$0.id - 1].status != .loaded }
        guard now || added || !endedWeights.isEmpty || clock - lastWrite >= Self.interval else { return nil }
        lastWrite = clock
        var batch = StoreBatch()
        var signatures: [Int: String] = [:]
        // A loaded (or reopened) model is kept once it trains: until then it is the file's, or
        // the kept run's it came from, and keeping it would list the same results twice.
        let waiting = pending.filter { coordinator.records[$0.id - 1].status == .loaded }
        pending.removeAll { coordinator.records[$0.id - 1].status == .loaded }
        defer { pending = waiting + pending }
        for (id, commands, first, _) in pending {
            let r = coordinator.records[id - 1]
            let setup = (try? String(decoding: JSONEncoder().encode(r.setup), as: UTF8.self)) ?? "{}"
            batch.newRuns.append(NewRun(sessionRun: id, role: Self.role(r.role), experimentFirstRun: first,
                                        name: r.name, data: r.dataName, model: r.modelName, optimizer: r.optimizerName,
                                        batch: r.batchName, seed: r.setup.seed, metricName: r.metricName,
                                        parameters: r.parameterCount, setup: setup, commands: commands))
        }
        let newIDs = pending.map(\.id)
        for id in Set(kept.keys).union(newIDs).subtracting(deleted).sorted() {
            let r = coordinator.records[id - 1]
            let from = epochsWritten[id] ?? 0
            if r.epochHistory.count > from {
                for (i, e) in r.epochHistory.enumerated().dropFirst(from) {
                    batch.epochs.append((id, i, StoredEpoch(epoch: e.epoch, update: e.update, trainLoss: e.trainLoss,
                                                            validationLoss: e.isValidated ? e.validationLoss : nil,
                                                            validationMetric: e.isValidated ? e.validationMetric : nil,
                                                            learningRate: e.learningRate ?? .nan)))
                }
            }
            var progress = Self.progress(of: r)
            let ended = Self.isEnded(r, driven: coordinator.run(id)?.isDriven == true)
            let signature = Self.signature(progress, ended: ended)
            if signature != written[id] {
                if ended {
                    // Its epochs are in the epoch table: the record is kept without them.
                    var kept = r
                    kept.epochHistory = []
                    progress.record = try? String(decoding: JSONEncoder().encode(kept), as: UTF8.self)
                    progress.weights = endedWeights[id]
                }
                batch.progress.append((id, progress))
                signatures[id] = signature
            }
        }
        guard !batch.isEmpty else { return nil }
        do {
            let ids = try store.apply(batch)
            kept.merge(ids) { $1 }
            for (id, number) in ids { coordinator.update(id) { $0.kept = number } }
            pending.removeAll()
            for (id, _, _) in batch.epochs { epochsWritten[id] = (epochsWritten[id] ?? 0) + 1 }
            written.merge(signatures) { $1 }
            for (id, p) in batch.progress where p.record != nil { endedWeights[id] = nil }
            return nil
        } catch {
            failure = error
            return "runs are no longer kept this session: \(error.description)"
        }
    }

    /// What must change for a run's progress to be written again: its status, name, epochs,
    /// live changes, final figures and whether it ended (not every update: the epochs carry the
    /// history, and a `kill -9` loses at most the epoch in flight).
    static func signature(_ p: RunProgress, ended: Bool) -> String {
        "\(p.status)|\(p.name ?? "")|\(p.epochs)|\(p.changes.count)|\(p.trainLoss?.bitPattern ?? 0)|"
            + "\(p.validationLoss?.bitPattern ?? 0)|\(p.validationMetric?.bitPattern ?? 0)|\(ended)"
    }

    static func role(_ role: RunRecord.Role) -> String {
        switch role {
        case .single: "single"
        case .fold: "fold"
        case .crossValidation: "cv"
        case .racer: "racer"
        }
    }

    static func isEnded(_ r: RunRecord, driven: Bool) -> Bool {
        switch r.status {
        case .finished, .stopped, .loaded: return true
        case .diverged: return !driven
        case .ready, .training, .paused: return false
        }
    }

    /// What is written of a run as it goes.
    static func progress(of r: RunRecord) -> RunProgress {
        RunProgress(status: r.status.rawValue, name: r.name, epochs: r.epochs, updates: r.updates, seconds: r.seconds,
                    learningRate: r.learningRate, trainLoss: r.trainEvaluation?.loss ?? r.epochHistory.last?.trainLoss,
                    validationLoss: r.validationEvaluation?.loss ?? r.epochHistory.last(where: \.isValidated)?.validationLoss,
                    validationMetric: r.validationEvaluation?.headline.map { Float($0.value) } ?? r.epochHistory.last(where: \.isValidated)?.validationMetric,
                    changes: r.markers.map { "\($0.update) \($0.label)" })
    }
}

extension RunKeeper {
    /// Kept run `number` was deleted: nothing more is written of it.
    func forget(keptAs number: Int) {
        guard let id = kept.first(where: { $0.value == number })?.key else { return }
        kept[id] = nil
        deleted.insert(id)
    }
}
