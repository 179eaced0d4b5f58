import TensorCore
import NeuralEngine

/// What the trainer publishes every few updates for panes that need more than a number.
public struct RunSnapshot: Sendable, Codable, Equatable {
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
    /// One hidden unit's activation on the probe points (`show unit`), when one is watched.
    public var unit: UnitActivations?
    /// Every attention layer's weights on one validation sample (models with attention).
    public var attention: AttentionMaps?
    /// The loss ladder so far (sequence models): what the model wrote at each milestone.
    public var ladder: [LossLadder.Rung]?
    /// A GPT's head scores so far, read every few updates (`show heads`).
    public var heads: HeadHistory?
}

/// One unit's output over the probe points: what that unit has learned to detect, drawn over
/// the plane like the decision boundary (TensorFlow Playground's per-neuron pictures).
public struct UnitActivations: Sendable, Codable, Equatable {
    /// The layer (0-based, as in `Sequential.layers`) and the unit (0-based column of its output).
    public var layer: Int
    public var unit: Int
    /// The unit's activation at each probe point, in the probe's order.
    public var values: [Float]
    /// The values its activation can take, when bounded (tanh −1…1, sigmoid 0…1).
    public var bounds: ClosedRange<Float>?

    public init(layer: Int, unit: Int, values: [Float], bounds: ClosedRange<Float>? = nil) {
        self.layer = layer
        self.unit = unit
        self.values = values
        self.bounds = bounds
    }

    /// Unit `unit` of layer `layer` of `model` on `probe`, by one inference pass; nil when that
    /// layer's output is not a row of units per point (or the unit is out of range).
    public static func of(_ model: Sequential, layer: Int, unit: Int, probe: Tensor) -> UnitActivations? {
        guard (try? model.predict(probe)) != nil else { return nil }
        let output = model.lastOutput(ofLayer: layer)
        guard output.rank == 2, output.rows == probe.rows, unit >= 0, unit < output.columns else { return nil }
        let columns = output.columns
        return UnitActivations(layer: layer, unit: unit, values: (0..<output.rows).map { output.scalars[$0 * columns + unit] },
                               bounds: Activation.output(of: model.layers[layer])?.bounds)
    }
}

extension RunSnapshot {
    /// What `trainer`'s model shows now: its layer summary, `validation`, its outputs on
    /// `probe`, for regression its predictions on `validationX`, and for a model with attention
    /// its attention on validation sample `attentionSample`. The one way every snapshot is made.
    /// Layer health is measured first: it reads the training model's last forward pass. The
    /// forward passes of the probes run on `probing`, a copy holding the same weights (a run's
    /// `Probes` keep one, so probing never resizes the buffers training uses), or on the model
    /// itself when none is given.
    public static func of(_ trainer: Trainer, validation: Evaluation?, validationX: Tensor, probe: Tensor?,
                          updateRatios: [Float] = [], unit: (layer: Int, unit: Int)? = nil,
                          attentionSample: Int = 0, probing: Sequential? = nil) -> RunSnapshot {
        let health = LayerHealth.measure(trainer.model, updateRatios: updateRatios)
        let model = probing ?? trainer.model
        func predict(_ x: Tensor) -> Tensor? {
            try? trainer.predict(x, with: model)
        }
        var snapshot = RunSnapshot(update: trainer.updates, epoch: trainer.epochs,
                                   summary: ModelSummary(trainer.model),
                                   validation: validation,
                                   probeOutput: probe.flatMap(predict),
                                   validationPredictions: trainer.isRegression && validationX.rows <= 5000
                                       ? predict(validationX) : nil)
        snapshot.health = health
        if let unit, let probe {
            snapshot.unit = UnitActivations.of(model, layer: unit.layer, unit: unit.unit, probe: probe)
        }
        if attentionSample < validationX.rows {
            snapshot.attention = AttentionMaps.of(model, x: validationX.rows(attentionSample..<attentionSample + 1),
                                                  sample: attentionSample)
        }
        return snapshot
    }
}

/// One `step` explained: how the watched scalar moved in the last update.
///
///     w ← w − η·g   printed as   dense1.w[4,1]: 0.412 − 0.03 × 1.27 = 0.374  (loss 0.52 → 0.49)
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
    /// The loss of the update's own batch before and after it.
    public var lossBefore: Float
    public var lossAfter: Float
    /// The whole training set's loss after the update (NaN above `StepExplanation.wholeSetLimit`
    /// samples): what the batch loss only estimates, and what can rise while it falls.
    public var trainingLoss: Float = .nan
    /// The optimizer's state for this scalar after the update, in its own order (empty for SGD).
    public var optimizerState: [Term]
    /// The optimizer's update rule (`type(of: optimizer).updateRule`).
    public var updateRule: String

    /// Training sets up to this many samples get their whole loss measured after a `step`.
    public static let wholeSetLimit = 20_000
}
