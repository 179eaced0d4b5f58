import NeuralEngine
import Training

/// A run that still has its model: the trainer, the data it trains and validates on, and the
/// engine's `TrainingRun` (rings, log, snapshot slots). Its record lives in the coordinator's
/// `records`; its lifecycle (`phase`, `training`, `takenReports`) is the coordinator's alone to
/// change: commands read a run's model and data, and ask the coordinator for everything else.
final class Run {
    /// Where a run is in its life. One value, owned by the `RunCoordinator`, which makes every
    /// transition (`start`, `step`, `goOn`, `stop`, the end of a thread):
    ///
    ///     ready ──start──▶ driven ──thread ends──▶ ended
    ///       │                ▲                       │
    ///       └─step─▶ stepped ┘ (train goes on)       └─step / train: goOn ─▶ ready
    ///                   └────────stop────────────────▶ ended
    enum Phase {
        /// Made, not started: nothing drives it and no update was made by hand since it was made
        /// (a run `load` made, or one `step` is about to make).
        case ready
        /// Updates made by hand on the front end's thread (`step`); no thread drives it.
        case stepped
        /// A thread drives it (training or paused), until the coordinator has taken in its end.
        case driven(RunHandle)
        /// Ended and evaluated (finished, stopped, diverged); its model stays to look at, and
        /// `step` or `train` go on with it.
        case ended
    }

    let id: Int
    let trainer: Trainer
    /// The split this run learns from (the session's data, or one fold of it).
    let data: DataState
    /// Replaced when the run goes on after its end or after `step` (`RunCoordinator.goOn`).
    fileprivate(set) var training: TrainingRun
    fileprivate(set) var phase = Phase.ready
    /// Reports of `training.reports` already taken into the record.
    fileprivate(set) var takenReports = 0
    /// Started by a notebook or piped input: a divergence then ends the run instead of waiting
    /// for a learner who is not there.
    var scripted = false
    /// The scalar `step` explains, as the learner wrote it.
    var watch: WatchTarget?
    /// Past epochs' weights, for `rewind` (every engine run of this model adds to it).
    var checkpoints: EpochCheckpoints?
    /// What it is part of (a single run, a cross-validation …).
    var experiment: any Experiment

    init(id: Int, trainer: Trainer, data: DataState, training: TrainingRun, experiment: any Experiment) {
        self.id = id
        self.experiment = experiment
        self.trainer = trainer
        self.data = data
        self.training = training
    }

    /// A thread drives it (training or paused), or has just returned and its last reports wait.
    var isDriven: Bool {
        if case .driven = phase { return true }
        return false
    }
}

/// Runs that belong together and what happens when one ends: a single run, the folds of a
/// cross-validation, the racers of an optimizer race. The coordinator drives them all the same
/// way; an experiment only decides what follows a run's end.
protocol Experiment: AnyObject {
    /// True while it has runs still to start (a run being driven keeps the session busy anyway).
    var isRunning: Bool { get }
    /// Run `run` (one of its own) has ended and been evaluated; start what follows, and say so.
    func runEnded(_ run: Run, coordinator: RunCoordinator) -> [Notice]
    /// End after the runs now training (`stop`).
    func requestStop()
}

/// One run: `train`, or a run made by `step`.
final class SingleRun: Experiment {
    var isRunning: Bool { false }
    func runEnded(_ run: Run, coordinator: RunCoordinator) -> [Notice] {
        [.ended(coordinator.records[run.id - 1])]
    }
    func requestStop() {}
}

// MARK: - The lifecycle, changed by the coordinator only

extension RunCoordinator {
    /// Moves `run` to `phase`.
    func move(_ run: Run, to phase: Run.Phase) { run.phase = phase }

    /// Gives `run` a new engine run on the same trainer, which keeps what belongs to the model
    /// (the ladder, the way back of `undo`); its reports are read from the start.
    func replaceTraining(of run: Run, with training: TrainingRun) {
        training.carryOver(from: run.training)
        run.training = training
        run.takenReports = 0
    }

    /// Counts one more report of `run` as taken.
    func tookReport(of run: Run) { run.takenReports += 1 }
}
