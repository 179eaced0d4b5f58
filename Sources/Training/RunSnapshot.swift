import TensorCore
import NeuralEngine

/// What the trainer publishes every few updates for panes that need more than a number.
public struct RunSnapshot: Sendable, Codable {
    public var update: Int
    public var epoch: Int
    public var summary: ModelSummary
    /// The latest validation evaluation (confusion matrix or regression metrics).
    public var validation: Evaluation?
    /// The model's predictions on the run's probe points (a decision-boundary grid, or x
    /// values along a regression line), row by row; nil without a probe.
    public var probeOutput: Tensor?
    /// For regression, the model's predictions on the validation set (for predicted-vs-true).
    public var validationPredictions: Tensor?
    /// Each layer's weights, gradients, last update and saturation (`show histograms`).
    public var health: [LayerHealth] = []
}

extension RunSnapshot {
    /// What `trainer`'s model shows now: its layer summary, `validation`, its outputs on
    /// `probe`, and for regression its predictions on `validationX`. The one way every snapshot
    /// is made.
    /// Layer health is measured first: it reads the last forward pass, which the predictions
    /// below overwrite.
    public static func of(_ trainer: Trainer, validation: Evaluation?, validationX: Tensor, probe: Tensor?,
                          updateRatios: [Float] = []) -> RunSnapshot {
        let health = LayerHealth.measure(trainer.model, updateRatios: updateRatios)
        var snapshot = RunSnapshot(update: trainer.updates, epoch: trainer.epochs,
                                   summary: ModelSummary(trainer.model),
                                   validation: validation,
                                   probeOutput: probe.flatMap { try? trainer.predict($0) },
                                   validationPredictions: trainer.classes == nil && validationX.rows <= 5000
                                       ? try? trainer.predict(validationX) : nil)
        snapshot.health = health
        return snapshot
    }
}

/// One `step` explained: how the watched scalar moved in the last update.
///
///     w ← w − η·g   printed as   dense1.w[3,0]: 0.412 − 0.03 × 1.27 = 0.374  (loss 0.52 → 0.49)
///
/// For optimizers with state the velocity or moment terms are listed too, since the update is
/// then not η·g.
public struct StepExplanation: Sendable, Equatable {
    /// One term of the optimizer's state for the watched scalar: `v`, `m`, `s` …
    public struct Term: Sendable, Equatable {
        public var name: String
        public var value: Float
    }

    public var updates: Int
    public var before: Float
    public var gradient: Float
    public var learningRate: Float
    public var after: Float
    public var lossBefore: Float
    public var lossAfter: Float
    /// The optimizer's state for this scalar after the update, in its own order (empty for SGD).
    public var optimizerState: [Term]
    /// The optimizer's update rule (`type(of: optimizer).updateRule`).
    public var updateRule: String
}
