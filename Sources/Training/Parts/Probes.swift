import TensorCore
import NeuralEngine

/// What every snapshot evaluates besides the layer summary: the probe points (a decision
/// boundary's grid, x values along a regression line), one hidden unit on them (`show unit`),
/// and the attention on one validation sample (models with attention).
struct Probes {
    let points: Tensor?
    /// The hidden unit drawn over the probe points (0-based layer and unit), if any.
    var unit: (layer: Int, unit: Int)?
    /// The validation sample whose attention maps each snapshot carries.
    var attentionSample = 0

    /// The snapshot of `trainer`'s model now (`RunSnapshot.of`), with the ladder's rungs.
    func snapshot(of trainer: Trainer, validation: Evaluation?, validationX: Tensor, updateRatios: [Float],
                  ladder: LossLadder?) -> RunSnapshot {
        var snapshot = RunSnapshot.of(trainer, validation: validation, validationX: validationX, probe: points,
                                      updateRatios: updateRatios, unit: unit, attentionSample: attentionSample)
        snapshot.ladder = ladder?.rungs
        return snapshot
    }
}
