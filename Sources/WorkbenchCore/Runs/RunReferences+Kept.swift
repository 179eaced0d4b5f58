import Foundation
import CommandLanguage
import Models
import RunStore

/// Kept runs as commands name them: `@12` (the store's number), `@baseline` (the latest run
/// tagged baseline), or one of this session's runs by number or name once it is kept.
extension Workbench {
    /// The run store, or why there is none, naming `command`.
    func store(for command: String) throws(DescentError) -> RunStore {
        guard let keeper else {
            throw DescentError("\(command): runs are not kept in this session (started with --no-store, or the store "
                               + "was refused: see the message at the start)")
        }
        if let failure = keeper.failure { throw DescentError("\(command): the run store stopped: \(failure.description)") }
        return keeper.store
    }

    /// Whether `value` names a kept run by `@`.
    static func isKeptReference(_ value: Value) -> Bool { value.text?.hasPrefix("@") == true }

    /// The store number of the run `value` names.
    func keptRun(referredToBy value: Value, in command: String) throws(DescentError) -> Int {
        let store = try store(for: command)
        keepRunsNow()
        if let text = value.text, text.hasPrefix("@") {
            let rest = String(text.dropFirst())
            if let number = Int(rest) {
                guard try storeCall({ () throws(StoreError) in try store.run(number) }) != nil else {
                    throw DescentError("\(command): no kept run is @\(number); `runs` lists them")
                }
                return number
            }
            guard !rest.isEmpty, let tagged = try storeCall({ () throws(StoreError) in try store.taggedLast(rest) }) else {
                throw DescentError("\(command): no kept run is tagged \(rest) (`runs tag RUN \(rest)` tags one)")
            }
            return tagged
        }
        let record = try runRecord(referredToBy: value, in: command)
        guard let kept = record.kept else { throw DescentError("\(command): run \(record.label) is not kept in the run store") }
        return kept
    }

    /// Writes what the runs did so far, so that the store has every run a command may name.
    func keepRunsNow() {
        if let message = keeper?.write(runs, now: true) { say(message, .error) }
    }

    /// Runs a store call, its error as a command's.
    func storeCall<T>(_ body: () throws(StoreError) -> T) throws(DescentError) -> T {
        do { return try body() } catch { throw DescentError(error.description) }
    }

    /// A kept run's epochs as a record's history.
    static func epochRecords(_ epochs: [StoredEpoch]) -> [EpochRecord] {
        epochs.map {
            EpochRecord(epoch: $0.epoch, update: $0.update, trainLoss: $0.trainLoss, validationLoss: $0.validationLoss ?? .nan,
                        validationMetric: $0.validationMetric ?? .nan, learningRate: $0.learningRate.isNaN ? nil : $0.learningRate,
                        validated: $0.validationLoss != nil)
        }
    }

    /// Kept run `number` as a record to draw beside this session's (`compare @12`): its record
    /// when it ended, else one made from its epochs (a run cut short). This session's own runs
    /// come back as themselves.
    func keptRecord(_ number: Int, in command: String) throws(DescentError) -> (record: RunRecord, isThisSession: Bool) {
        if let own = records.first(where: { $0.kept == number }) { return (own, true) }
        let store = try store(for: command)
        guard let stored = try storeCall({ () throws(StoreError) in try store.run(number) }) else {
            throw DescentError("\(command): no kept run is @\(number); `runs` lists them")
        }
        let s = stored.summary
        let label = "@\(number)" + (s.name.map { " \($0)" } ?? "")
        let epochs = Self.epochRecords(stored.epochs)
        if let json = stored.record, var record = try? JSONDecoder().decode(RunRecord.self, from: Data(json.utf8)) {
            record.kept = number
            record.shownAs = label
            record.epochHistory = epochs   // kept in the epoch table, not in the record
            return (record, false)
        }
        guard let setup = try? JSONDecoder().decode(Setup.self, from: Data(stored.setup.utf8)) else {
            throw DescentError("\(command): @\(number)'s set-up cannot be read back")
        }
        var record = RunRecord(id: s.sessionRun, setup: setup, architecture: nil, loss: setup.loss ?? .mse, role: .single,
                               plannedEpochs: s.epochs, metricName: s.metricName)
        record.kept = number
        record.shownAs = label
        record.status = RunRecord.Status(rawValue: s.status) ?? .stopped
        record.epochs = s.epochs
        record.updates = s.updates
        record.epochHistory = epochs
        for e in stored.epochs { record.lossHistory.append(e.trainLoss) }
        return (record, false)
    }
}
