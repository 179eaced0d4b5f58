/// A fixed-size report from a training run to the front end.
///
/// `step` events go through an `SPSCRing` (the charts' points: many, and droppable when the
/// front end falls behind); every other kind goes to the run's report log (`AppendLog`), in the
/// order it happened, none dropped: what a learner is told, and what a replay prints.
/// Plain values only (`BitwiseCopyable`), so the trainer can publish one without allocating.
/// Larger things (layer summaries, confusion matrices, step explanations) go through
/// `SnapshotSlot`s instead; an event says when a new one is there.
public struct TrainingEvent: Sendable, BitwiseCopyable, Equatable {
    public enum Kind: UInt8, Sendable, BitwiseCopyable {
        /// One update finished: `loss` is the batch loss before it.
        case step
        /// An epoch finished: `loss` is the mean batch loss of the epoch, `validation*` are set.
        case epoch
        /// A control message was applied: `setting`, `oldValue`, `newValue`.
        case changed
        case paused, resumed, stopped
        /// The loss exploded or stopped being finite: the run paused itself and went back to its
        /// last sane checkpoint (`restored…`; `restoredUpdate` is −1 when none was sane).
        case diverged
        /// All planned epochs are done.
        case finished
        /// A `step N` request finished; the explanation is in the run's explanation slot.
        case explained
        /// Early stopping: the validation loss had not improved for the run's patience; the
        /// weights of the best epoch (`restoredEpoch`, its validation loss in `validationLoss`)
        /// are back, at epoch `epoch`.
        case earlyStopped
        /// `undo`: the weights, optimizer state and settings from before the last change are
        /// back (`restoredUpdate`; `setting` and `oldValue` say which change was taken back).
        case undone
        /// The run's first updates were timed: `estimatedSeconds` is the whole run's training
        /// time at that speed, `newValue` its updates per second (timings, never reproducible).
        case estimated
    }

    /// What a `changed` event changed.
    public enum Setting: UInt8, Sendable, BitwiseCopyable {
        case none, learningRate, momentum, batchSize, pace
        /// The schedule changed the rate (a step schedule's step, a plateau's cut).
        case scheduledLearningRate
    }

    public var kind: Kind
    /// Updates performed so far in this run.
    public var update: Int
    /// Completed epochs so far.
    public var epoch: Int
    public var loss: Float
    public var validationLoss: Float = .nan
    /// Accuracy for classification, R² for regression.
    public var validationMetric: Float = .nan
    /// For an epoch: whether it was validated (a run of many epochs validates every few:
    /// `ValidationStride`).
    public var validated = true
    public var learningRate: Float
    public var gradientNorm: Float = .nan
    /// Seconds since the run started (a timing; never printed where output must be reproducible).
    public var seconds: Double
    public var setting: Setting = .none
    public var oldValue: Float = .nan
    public var newValue: Float = .nan
    /// For `diverged`: the update whose weights came back, their loss and the learning rate
    /// they were trained at (NaN for the run's starting weights).
    /// For `step` events of a model with exactly two trainable scalars (w and b): their values
    /// after the update, the point on the loss surface; for `diverged`, the point that came back.
    /// NaN for other models.
    public var w: Float = .nan
    public var b: Float = .nan
    public var restoredUpdate = -1
    /// For `earlyStopped`: the epoch whose weights came back.
    public var restoredEpoch = -1
    /// For `estimated`: the whole run's training time at the speed of its first updates.
    public var estimatedSeconds: Double = .nan
    public var restoredLoss: Float = .nan
    public var restoredLearningRate: Float = .nan

    public init(kind: Kind, update: Int, epoch: Int, loss: Float, learningRate: Float, seconds: Double) {
        self.kind = kind
        self.update = update
        self.epoch = epoch
        self.loss = loss
        self.learningRate = learningRate
        self.seconds = seconds
    }
}

/// A request from the front end to a running trainer, applied between two updates.
public enum ControlMessage: Sendable, BitwiseCopyable, Equatable {
    case pause
    case resume
    case stop
    /// Perform exactly this many updates, then stay paused and explain the watched parameter.
    case step(Int)
    case setLearningRate(Float)
    case setMomentum(Float)
    case setBatchSize(Int)
    /// Updates per second; 0 means as fast as possible.
    case setPace(Double)
    /// Which scalar `step` explains: parameter index in `Sequential.parameters`, flat element.
    case watch(parameter: Int, element: Int)
    /// Which hidden unit each snapshot draws over the probe (`show unit`); layer −1: none.
    case probeUnit(layer: Int, unit: Int)
    /// Which validation sample each snapshot shows the attention of (`show attention`).
    case probeAttention(sample: Int)
    /// Back to the weights, optimizer state and settings from before the last change.
    case undo
    /// Evaluate the weights as they are and publish a snapshot (a model just loaded, whose
    /// views would otherwise wait for an epoch).
    case evaluate
}
