import TensorCore
import NeuralEngine

/// What every snapshot evaluates besides the layer summary: the probe points (a decision
/// boundary's grid, x values along a regression line), one hidden unit on them (`show unit`),
/// and the attention on one validation sample (models with attention); and the copy of the
/// model those forward passes run on, so they never resize the buffers training uses (a
/// one-sample probe used to shrink every layer's buffers and the next update grew them back).
struct Probes {
    let points: Tensor?
    /// The hidden unit drawn over the probe points (0-based layer and unit), if any.
    var unit: (layer: Int, unit: Int)?
    /// The validation sample whose attention maps each snapshot carries.
    var attentionSample = 0
    /// The copy probes run on, made on first use; its weights are the training model's when
    /// `synced` returns it.
    private var copy: Sequential?

    init(points: Tensor?) { self.points = points }

    /// The probing copy, holding `model`'s weights now (copied in place: no allocation once made).
    mutating func synced(with model: Sequential) -> Sequential {
        if copy == nil, let architecture = model.architecture {
            var unused = SeededGenerator(seed: 0)   // every weight is copied below
            copy = try? Sequential(architecture, rng: &unused)
            copy?.foldHead(model.foldedHead)
        }
        guard let copy else { return model }
        for (mine, theirs) in zip(copy.parameters, model.parameters) { mine.value.assign(theirs.value) }
        return copy
    }

    /// The snapshot of `trainer`'s model now (`RunSnapshot.of`), with the ladder's rungs.
    mutating func snapshot(of trainer: Trainer, validation: Evaluation?, validationX: Tensor, updateRatios: [Float],
                           ladder: LossLadder?) -> RunSnapshot {
        let probing = synced(with: trainer.model)
        var snapshot = RunSnapshot.of(trainer, validation: validation, validationX: validationX, probe: points,
                                      updateRatios: updateRatios, unit: unit, attentionSample: attentionSample,
                                      probing: probing)
        snapshot.ladder = ladder?.rungs
        return snapshot
    }
}
