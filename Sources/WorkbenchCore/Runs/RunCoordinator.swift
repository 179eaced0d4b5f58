import Foundation
import TensorCore
import NeuralEngine
import Training
import Models

/// Owns every run of a session: their records, the runs that still have a model, the
/// experiments they belong to, and each run's phase (`Run.Phase`). Every way a run starts goes
/// through `start` (a thread drives it) or `step` (by hand); every change to a run goes through
/// `control`, which sends it to the run's thread or applies it at once when none drives it. It
/// polls the runs, finalizes each in one place when its thread ends, and hands out the thread
/// budget: never more training threads than cores, whatever the number of runs.
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
    /// The latest snapshot read of each run (a slot hands a snapshot over once).
    private var snapshots: [Int: RunSnapshot] = [:]
    let pool: RunDriverPool
    let budget: ThreadBudget
    /// Told of every run added and every run that ends, while its model is still there (the
    /// run store keeps them: `RunKeeper`).
    weak var observer: (any RunObserver)?

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

    /// The current run's phase; nil when it has no model (none yet, the set-up changed, or a
    /// record with no model of its own such as cv's pooled results).
    var currentPhase: Run.Phase? { current?.phase }

    func run(_ id: Int) -> Run? { live[id] }

    /// True while a thread drives a run, or an experiment has runs still to start.
    var isBusy: Bool { live.values.contains(where: \.isDriven) || experiments.contains(where: \.isRunning) }

    /// True while the current run is one `step` made that no thread drives (Ctrl-C and `stop` end it).
    var hasSteppedRun: Bool {
        if case .stepped? = currentPhase { return true }
        return false
    }

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

    /// The current run's model, when no thread uses it (its driver owns it while it trains);
    /// throws saying why there is none, naming `what` asked.
    func idleRun(for what: String) throws(DescentError) -> Run {
        guard let run = current else {
            throw currentRecord == nil ? DescentError("\(what): no model yet: `step` makes a run (or `train`)") : noLiveModel()
        }
        guard !run.isDriven else {
            throw DescentError("\(what): run \(run.id) is training; `stop` it first (or look at it after its end)")
        }
        return run
    }

    /// Why there is no model to look at: no run yet, or the set-up changed since the last one
    /// (its record stays in `runs`; its model is gone).
    func noLiveModel() -> DescentError {
        guard let last = records.last else { return DescentError("no run yet: try `train`") }
        return DescentError("the set-up changed after run \(last.id), so its model is gone: `train` makes a new run "
                            + "(`runs` lists the old runs' results)")
    }

    // MARK: - Adding and starting

    /// Adds run `record` (its `id` must be `nextID`), with its live part if it has a model, and
    /// makes it current.
    func add(_ record: RunRecord, _ run: Run?, experiment: (any Experiment)? = nil) {
        precondition(record.id == nextID, "run ids are consecutive")
        records.append(record)
        if let run { live[run.id] = run }
        if let experiment, !experiments.contains(where: { $0 === experiment }) { experiments.append(experiment) }
        observer?.added(record, experiment: experiment, coordinator: self)
        makeCurrent(record.id)
    }

    /// Starts a thread driving `run` now: `train`, a race's racers, the folds of `cv`. With
    /// `estimatingTimeAfter`, the run times that many of its first updates and reports its
    /// estimated time then; `validating` says which epochs it validates.
    func start(_ run: Run, estimatingTimeAfter updates: Int? = nil, validating stride: ValidationStride = .everyEpoch) {
        if let updates { run.training.estimateTime(after: updates) }
        run.trainer.model.liftInterventions()   // `ablate` holds until the model is trained again
        run.training.validationStride = stride
        records[run.id - 1].status = .training
        move(run, to: .driven(pool.start(run.training)))
    }

    /// `n` updates of `run` by hand, on this thread (`step`); it explains the watched scalar
    /// after the last. A run a thread drives is asked to make them at its next update instead.
    func step(_ run: Run, _ n: Int) -> [Notice] {
        guard !run.isDriven else {
            send(.step(n))
            return []
        }
        move(run, to: .stepped)
        run.trainer.model.liftInterventions()
        records[run.id - 1].status = .paused
        run.training.control(.step(n))
        ManualRunner(run: run.training).runUntilIdle()
        return poll()
    }

    /// Makes `run` go on after its end or after `step` with a new engine run `training` on the
    /// same trainer (`RunFactory.training`); it is ready to `start` or `step`.
    func goOn(_ run: Run, with training: TrainingRun) {
        guard !run.isDriven else { return }
        replaceTraining(of: run, with: training)
        move(run, to: .ready)
    }

    /// Sends `message` to `run`: to its thread if one drives it (and to every other run a thread
    /// drives: a race's racers change together), else applied now. Returns what it reported.
    func control(_ message: ControlMessage, to run: Run) -> [Notice] {
        if run.isDriven {
            send(message)
            return []
        }
        run.training.control(message)
        return poll()
    }

    // MARK: - Current and compared runs

    /// Makes run `id` current; the previous current run's model is let go unless a thread
    /// still drives it.
    func makeCurrent(_ id: Int?) {
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
        if let run = current, case .stepped = run.phase, records[run.id - 1].status == .paused {
            records[run.id - 1].status = .stopped
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

    /// Takes over runs kept elsewhere (a recorded state): their records follow this session's,
    /// the last one current with `run` (ended), its model, and `snapshot` as what the panes draw.
    func adopt(_ adopted: [RunRecord], current run: Run?, snapshot: RunSnapshot?) {
        for record in adopted {
            precondition(record.id == nextID, "adopted run ids continue the session's")
            records.append(record)
            observer?.added(record, experiment: nil, coordinator: self)
        }
        if let run {
            move(run, to: .ended)
            live[run.id] = run
        }
        makeCurrent(adopted.last?.id)
        if let id = adopted.last?.id { snapshots[id] = snapshot }
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
            if case .driven(let handle) = run.phase, handle.isFinished {
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
            tookReport(of: run)
            for notice in records[id - 1].apply(event) {
                if case .diverged(let runID, let divergence, _) = notice {
                    // Nobody is there to resume, or nothing sane to resume from: the run ends here.
                    let ends = run.scripted || divergence.restored == nil
                    if ends { _ = run.training.controls.push(.stop) }
                    notices.append(.diverged(run: runID, divergence,
                                             then: ends ? .ends : run.isDriven ? .waitsPaused : .waitsForStep))
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
        observer?.ended(run, coordinator: self)
        var notices = run.experiment.runEnded(run, coordinator: self)
        if records[id - 1].droppedEvents > 0 { notices.append(.dropped(run: id, count: records[id - 1].droppedEvents)) }
        return notices
    }

    /// The ended run's final figures, evaluated on its own training and validation data (spread
    /// samples of sets large beside what the run trained on: `EvaluationSample`).
    private func evaluate(_ run: Run) {
        move(run, to: .ended)
        let t = run.trainer, id = run.id
        let trained = t.sampleCount * max(t.epochs, 1), forward = t.forwardMultiplyAddsPerSample
        let limit = EvaluationSample.limitAtEnd(trained: trained, forward: forward)
        let train = EvaluationSample(x: run.data.train.features, y: run.data.train.targets, limit: limit)
        let validation = EvaluationSample(x: run.data.validation.features, y: run.data.validation.targets, limit: limit)
        records[id - 1].trainEvaluation = t.evaluate(x: train.x, y: train.y)
        records[id - 1].trainEvaluated = train.isAll ? nil : train.count
        records[id - 1].validationEvaluation = t.evaluate(x: validation.x, y: validation.y)
        records[id - 1].validationEvaluated = validation.isAll ? nil : validation.count
        records[id - 1].updates = t.updates
        records[id - 1].epochs = t.epochs
    }

    // MARK: - Ending

    /// Sends `message` to every run a thread drives (`pause`, `resume`).
    func send(_ message: ControlMessage) {
        for run in drivenRuns { _ = run.training.controls.push(message) }
    }

    /// `stop` (and Ctrl-C): ends every driven run and every experiment; a run stepped by hand
    /// ends too, evaluated and reported like any ended run. Returns what to tell; nil when
    /// nothing was going.
    func stop() -> [Notice]? {
        if isBusy {
            for experiment in experiments { experiment.requestStop() }
            send(.stop)
            return []
        }
        guard let run = current, case .stepped = run.phase else { return nil }
        evaluate(run)
        if records[run.id - 1].status != .diverged { records[run.id - 1].status = .stopped }
        observer?.ended(run, coordinator: self)
        return [.stoppedByHand(records[run.id - 1])]
    }

    /// Stops everything and waits for the threads (quit, shutdown); returns the last notices.
    func shutDown() -> [Notice] {
        for experiment in experiments { experiment.requestStop() }
        send(.stop)
        var notices: [Notice] = []
        repeat {
            for case .driven(let handle) in drivenRuns.map(\.phase) { handle.join() }
            notices += poll()
            send(.stop)   // a fold an experiment started meanwhile
        } while !drivenRuns.isEmpty
        return notices
    }
}
