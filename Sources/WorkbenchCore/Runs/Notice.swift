import NeuralEngine
import Training
import Models

/// Something a run did that the learner is told, as a value: what the run coordinator and the
/// reducer (`RunRecord.apply`) return, and `Notice.lines` turns into output. Tested without
/// threads or text.
public enum Notice: Equatable, Sendable {
    /// An epoch ended and is due to be printed.
    case epoch(run: Int, EpochRecord, planned: Int, metricName: String)
    /// A live change was applied at `update`.
    case changed(run: Int, TrainingEvent.Setting, old: Float, new: Float, update: Int)
    case paused(run: Int, update: Int, epoch: Int)
    case resumed(run: Int, update: Int)
    case stopped(run: Int, update: Int, epoch: Int)
    /// The loss exploded; what happens next: the run ends, waits paused, or waits for `step`.
    case diverged(run: Int, Divergence, then: Divergence.Next)
    /// `step` finished: how the watched scalar moved.
    case explained(run: Int, StepExplanation, target: String)
    /// Early stopping put back the weights of epoch `bestEpoch` (its validation loss `loss`),
    /// at epoch `atEpoch`.
    case earlyStopped(run: Int, bestEpoch: Int, loss: Float, atEpoch: Int)
    /// The run timed its first updates: its whole training time at that speed (a timing).
    case estimated(run: Int, seconds: Double, updatesPerSecond: Double)
    /// `undo` put the run back as it was before its last change (nil: there was none).
    case undone(run: Int, Undone?)
    /// A run has ended and been evaluated.
    case ended(RunRecord)
    /// The display missed step reports (the ring was full).
    case dropped(run: Int, count: Int)
    /// A stepped run was stopped by hand before `train` ever drove it.
    case stoppedByHand(RunRecord)

    // Cross-validation
    case crossValidationStarted(name: String, k: Int, foldSizes: String, stratified: Bool, model: String, epochs: Int)
    case foldStarted(run: Int, fold: Int, k: Int, train: Int, validation: Int)
    case crossValidationStopped(inFold: Int, k: Int, finished: Int)
    case crossValidationTable(name: String, k: Int, rows: [[String]])
    case crossValidationSummary(run: Int, k: Int, metric: String, mean: Double, deviation: Double,
                                samples: Int, pooled: Double)
    case failed(String)

    // Optimizer races and comparisons
    case raceStarted(runs: [Int], optimizers: [String], epochs: Int, model: String)
    /// Every racer has ended: their final figures, in the order they were named.
    case raceEnded([RunRecord])
    /// `compare RUN …`: the runs now overlaid.
    case compared([RunRecord])
}

/// What a divergence restored, for the report.
public struct Divergence: Equatable, Sendable {
    /// What the run does after it.
    public enum Next: Equatable, Sendable {
        /// It ends (a notebook's run, or nothing sane was kept).
        case ends
        /// A thread drives it: paused, it waits for `resume`.
        case waitsPaused
        /// Stepped by hand: it waits for `step` or `train`.
        case waitsForStep
    }

    public var update: Int
    public var loss: Float
    /// The learning rate the run diverged with.
    public var learningRate: Float
    /// The update whose weights came back, their loss and the rate they were trained at (nil:
    /// the run's starting weights, trained at no rate yet); nil when no checkpoint had a sane
    /// loss (the run is lost).
    public var restored: (update: Int, loss: Float, learningRate: Float?)?

    public static func == (a: Divergence, b: Divergence) -> Bool {
        a.update == b.update && a.loss.bitPattern == b.loss.bitPattern && a.learningRate == b.learningRate
            && a.restored?.update == b.restored?.update && a.restored?.learningRate == b.restored?.learningRate
            && a.restored?.loss.bitPattern == b.restored?.loss.bitPattern
    }
}

/// What `undo` took back: the change made at `backTo` (its setting and the value it had
/// before), undone at update `update`.
public struct Undone: Equatable, Sendable {
    public var update: Int
    public var backTo: Int
    public var setting: TrainingEvent.Setting
    public var oldValue: Float
}
