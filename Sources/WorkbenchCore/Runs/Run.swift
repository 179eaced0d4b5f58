import NeuralEngine
import Training

/// A run that still has its model: the trainer, the data it trains and validates on, and the
/// engine's `TrainingRun` (rings, snapshot slots) with the handle of the thread driving it.
/// Its record lives in the coordinator's `records`.
final class Run {
    let id: Int
    let trainer: Trainer
    /// The split this run learns from (the session's data, or one fold of it).
    let data: DataState
    /// Replaced when `train` goes on with a run that `step` made, or `step` with an ended one.
    var training: TrainingRun
    /// The driver's handle while a thread drives it; nil while it is stepped by hand.
    var handle: RunHandle?
    /// Reports of `training.reports` already taken into the record.
    var takenReports = 0
    /// Evaluated and reported after its thread ended.
    var finalized = false
    /// Started by a notebook or piped input: a divergence then ends the run instead of waiting
    /// for a learner who is not there.
    var scripted = false
    /// The scalar `step` explains, as the learner wrote it.
    var watch: WatchTarget?
    /// Past epochs' weights, for `rewind` (every engine run of this model adds to it).
    var checkpoints: EpochCheckpoints?
    /// What it is part of (a single run, a cross-validation …).
    var experiment: any Experiment
    /// Made by `load`: `train N` then trains N more epochs (not up to epoch N).
    var isLoaded = false

    init(id: Int, trainer: Trainer, data: DataState, training: TrainingRun, experiment: any Experiment) {
        self.id = id
        self.experiment = experiment
        self.trainer = trainer
        self.data = data
        self.training = training
    }

    /// True from `launch` until the coordinator has taken in its end (`finalized`): a thread
    /// drives it (training or paused), or has just returned and its last reports wait to be read.
    var isDriven: Bool { handle != nil && !finalized }
}

/// Runs that belong together and what happens when one ends: a single run, the folds of a
/// cross-validation, (next) the racers of an optimizer race. The coordinator drives them all the
/// same way; an experiment only decides what follows a run's end.
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
