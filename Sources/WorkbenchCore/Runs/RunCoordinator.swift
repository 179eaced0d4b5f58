import Foundation
import TensorCore
import NeuralEngine
import Training

/// Owns every run of a session: their records, the runs that still have a model, and the
/// experiments they belong to. It launches runs onto driver threads, polls them all, finalizes
/// each in one place when its thread ends, and hands out the thread budget: never more training
/// threads than cores, whatever the number of runs (`RunDriverPool`, `ThreadBudget`).
///
/// One thread (the front end's) calls everything here.
final class RunCoordinator {
    /// Every run's record, in order; run `id` is `records[id - 1]`.
    private(set) var records: [RunRecord] = []
    /// Runs that still have their model, by id.
    private var live: [Int: Run] = [:]
    /// The run commands and panes act on; nil after the set-up changed.
    private(set) var currentID: Int?
    /// Experiments with runs still to start, or whose results a command may still ask for.
    private(set) var experiments: [any Experiment] = []
    /// Runs the loss chart (and the contour) overlay: a race's racers, or `compare RUN …`;
    /// empty: the current run alone.
    private(set) var comparedIDs: [Int] = []
    /// The latest snapshot read of each run (a slot hands a snapshot over once).
    private var snapshots: [Int: RunSnapshot] = [:]
    let pool: RunDriverPool
    let budget: ThreadBudget

    init(budget: ThreadBudget = .process) {
        self.budget = budget
        pool = RunDriverPool(threads: budget.cores)
    }

    // MARK: - Looking

    var nextID: Int { records.count + 1 }

    /// The current run, if it still has its model.
    var current: Run? { currentID.flatMap { live[$0] } }

    /// The current run's record.
    var currentRecord: RunRecord? { currentID.map { records[$0 - 1] } }

    func run(_ id: Int) -> Run? { live[id] }

    /// True while a thread drives a run, or an experiment has runs still to start.
    var isBusy: Bool { live.values.contains(where: \.isDriven) || experiments.contains(where: \.isRunning) }

    /// Runs being driven now, in id order.
    var drivenRuns: [Run] { live.values.filter(\.isDriven).sorted { $0.id < $1.id } }

    /// The latest snapshot of run `id` (the current one by default).
    func snapshot(of id: Int? = nil) -> RunSnapshot? {
        guard let id = id ?? currentID else { return nil }
        if let run = live[id], let fresh = run.training.snapshots.latest() { snapshots[id] = fresh }
        return snapshots[id]
    }

    /// The experiment of type `E` that the current run's record belongs to, if it is kept.
    func experiment<E: Experiment>(of type: E.Type, where matches: (E) -> Bool) -> E? {
        experiments.lazy.compactMap { $0 as? E }.last(where: matches)
    }

    // MARK: - Adding and launching

    /// Adds run `record` (its `id` must be `nextID`), with its live part if it has a model, and
    /// makes it current.
    func add(_ record: RunRecord, _ run: Run?, experiment: (any Experiment)? = nil) {
        precondition(record.id == nextID, "run ids are consecutive")
        records.append(record)
        if let run { live[run.id] = run }
        if let experiment, !experiments.contains(where: { $0 === experiment }) { experiments.append(experiment) }
        makeCurrent(record.id)
    }

    /// Overlays runs `ids` (they must exist); the last one becomes current.
    func compare(_ ids: [Int]) {
        comparedIDs = ids.filter { $0 >= 1 && $0 <= records.count }
    }

    /// Makes run `id` current; the previous current run's model is let go unless a thread
    /// still drives it. A run outside the comparison ends it.
    func makeCurrent(_ id: Int?) {
        if let id, !comparedIDs.contains(id) { comparedIDs = [] }
        if id == nil { comparedIDs = [] }
        if let old = currentID, old != id, let run = live[old], !run.isDriven { release(old) }
        currentID = id
        experiments.removeAll { !isNeeded($0) }
    }

    /// An experiment is kept while it has runs to start or with a model, or its results are current.
    private func isNeeded(_ experiment: any Experiment) -> Bool {
        if experiment.isRunning || live.values.contains(where: { $0.experiment === experiment }) { return true }
        if let cv = experiment as? CrossValidation, let summary = cv.summaryID { return summary == currentID }
        return false
    }

    /// The set-up changed: no run is current any more and the last one's model is let go (its
    /// record stays, for `runs`). Never while busy.
    func detach() {
        guard !isBusy else { return }
        if let id = currentID, let run = live[id], !run.finalized, records[id - 1].status == .paused {
            records[id - 1].status = .stopped
        }
        makeCurrent(nil)
    }

    /// Lets run `id`'s model go unless a thread still drives it (its record stays).
    func releaseIfIdle(_ id: Int) {
        if let run = live[id], !run.isDriven { release(id) }
    }

    private func release(_ id: Int) {
        live[id] = nil
        snapshots[id] = nil
    }

    /// Takes over runs kept elsewhere (a recorded state, a saved model): their records follow
    /// this session's, the last one current with `run`, its model, and `snapshot` as what the
    /// panes draw. The records' ids must continue this session's.
    func adopt(_ adopted: [RunRecord], current run: Run?, snapshot: RunSnapshot?) {
        for record in adopted {
            precondition(record.id == nextID, "adopted run ids continue the session's")
            records.append(record)
        }
        if let run { live[run.id] = run }
        makeCurrent(adopted.last?.id)
        if let id = adopted.last?.id { snapshots[id] = snapshot }
    }

    /// Starts a thread driving `run` now.
    func launch(_ run: Run) {
        records[run.id - 1].status = .training
        run.finalized = false
        run.handle = pool.start(run.training)
    }

    /// Edits run `id`'s record.
    func update(_ id: Int, _ change: (inout RunRecord) -> Void) { change(&records[id - 1]) }

    /// Keeps `snapshot` as run `id`'s latest (a record with no model of its own, such as the
    /// pooled results of a cross-validation).
    func setSnapshot(_ snapshot: RunSnapshot?, of id: Int) { snapshots[id] = snapshot }

    // MARK: - Polling

    /// Collects what every live run reported since the last call and returns what to tell:
    /// records are filled in (losses, epochs, changes), ended runs are joined, evaluated and
    /// handed to their experiment, which may start the next. Call often (a screen: every frame).
    func poll() -> [Notice] {
        var notices: [Notice] = []
        for id in live.keys.sorted() {
            guard let run = live[id] else { continue }
            notices += take(run)
            if let handle = run.handle, handle.isFinished, !run.finalized {
                handle.join()
                notices += take(run)
                notices += finalize(run)
            }
        }
        return notices
    }

    /// Takes run `run`'s step events (the charts) and its reports, in the order it made them,
    /// into its record; returns what to tell.
    private func take(_ run: Run) -> [Notice] {
        var notices: [Notice] = []
        let id = run.id
        _ = run.training.steps.drain { event in records[id - 1].apply(step: event) }
        let log = run.training.reports
        while run.takenReports < log.count {
            let event = log[run.takenReports]
            run.takenReports += 1
            for notice in records[id - 1].apply(event) {
                if case .diverged(let runID, let divergence, _) = notice {
                    // Nobody is there to resume, or nothing sane to resume from: the run ends here.
                    let ends = run.scripted || divergence.restored == nil
                    if ends { _ = run.training.controls.push(.stop) }
                    notices.append(.diverged(run: runID, divergence,
                                             then: ends ? .ends : run.handle == nil ? .waitsForStep : .waitsPaused))
                } else {
                    notices.append(notice)
                }
            }
            if event.kind == .explained, let e = run.training.explanations.latest() {
                notices.append(.explained(run: id, e, target: run.watch?.description ?? "w"))
            }
        }
        records[id - 1].droppedEvents = run.training.steps.dropped
        return notices
    }

    /// Evaluates an ended run on its own data, settles its status and tells its experiment.
    private func finalize(_ run: Run) -> [Notice] {
        let id = run.id
        evaluate(run)
        switch run.training.state {
        case .finished: records[id - 1].status = .finished
        case .stopped where records[id - 1].status != .diverged: records[id - 1].status = .stopped
        default: break
        }
        var notices = run.experiment.runEnded(run, coordinator: self)
        if records[id - 1].droppedEvents > 0 { notices.append(.dropped(run: id, count: records[id - 1].droppedEvents)) }
        return notices
    }

    /// Ends a run `step` made and no thread ever drove (Ctrl-C or `stop` on it): evaluated and
    /// reported like any ended run.
    func stopByHand(_ run: Run) -> [Notice] {
        guard !run.isDriven, !run.finalized else { return [] }
        let id = run.id
        evaluate(run)
        if records[id - 1].status != .diverged { records[id - 1].status = .stopped }
        return [.stoppedByHand(records[id - 1])]
    }

    /// The ended run's final figures: evaluated on its own training and validation data.
    private func evaluate(_ run: Run) {
        run.finalized = true
        let t = run.trainer, id = run.id
        records[id - 1].trainEvaluation = t.evaluate(x: run.data.train.features, y: run.data.train.targets)
        records[id - 1].validationEvaluation = t.evaluate(x: run.data.validation.features, y: run.data.validation.targets)
        records[id - 1].updates = t.updates
        records[id - 1].epochs = t.epochs
    }

    // MARK: - Control

    /// Sends `message` to every run a thread drives.
    func send(_ message: ControlMessage) {
        for run in drivenRuns { _ = run.training.controls.push(message) }
    }

    /// Stops every driven run and every experiment (`stop`).
    func stopAll() {
        for experiment in experiments { experiment.requestStop() }
        send(.stop)
    }

    /// Stops everything and waits for the threads (quit, shutdown); returns the last notices.
    func shutDown() -> [Notice] {
        stopAll()
        var notices: [Notice] = []
        repeat {
            for run in drivenRuns { run.handle?.join() }
            notices += poll()
            send(.stop)   // a fold an experiment started meanwhile
        } while !drivenRuns.isEmpty
        return notices
    }
}
