import TensorCore
import NeuralEngine

/// The run as it was just before its last live change (`set lr|momentum|batch`): its weights,
/// its optimizer's state and its settings. `undo` puts them back, so a change that made things
/// worse (a rate that blew the model up) can be taken back whole. One level: the last change.
struct UndoPoint {
    /// What was changed, its old value and the update it was changed at.
    let setting: TrainingEvent.Setting
    let oldValue: Float
    let update: Int
    private let weights: [Tensor]
    private let optimizer: OptimizerState
    private let learningRate: Float
    private let momentum: Float?
    private let batchSize: Int?

    /// The run now, before `setting` changes from `oldValue`.
    init(_ trainer: Trainer, before setting: TrainingEvent.Setting, oldValue: Float) {
        self.setting = setting
        self.oldValue = oldValue
        update = trainer.updates
        // Copies of their own: the weights go on changing in place.
        weights = trainer.model.parameters.map { p in
            var copy = Tensor(shape: p.value.shape)
            copy.assign(p.value)
            return copy
        }
        optimizer = trainer.optimizer.state
        learningRate = trainer.learningRate
        momentum = trainer.optimizer.momentum
        batchSize = trainer.batchSize
    }

    /// Puts the weights, the optimizer's state and the settings back.
    func restore(into trainer: Trainer) {
        for (p, saved) in zip(trainer.model.parameters, weights) { p.value.assign(saved) }
        // The state was the optimizer's own for these parameters: it fits.
        try? trainer.optimizer.restore(optimizer, for: trainer.model.parameters)
        trainer.learningRate = learningRate
        trainer.optimizer.momentum = momentum
        trainer.batchSize = batchSize
    }
}
