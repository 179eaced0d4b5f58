import TensorCore
import NeuralEngine

/// The last weights of a run whose loss was sane, to go back to when it diverges.
///
/// A loss is sane when it is finite and at most twice the model's first loss (an untrained
/// model's): a run past that has left the region where it was learning, even while its numbers
/// stay finite. Weights are kept every `TrainingRun.checkpointInterval` updates and before every
/// live change (lr, momentum, batch), each time only if the mean batch loss since the previous
/// checkpoint was sane; the learning rate they were trained at is kept with them. So a run that
/// diverges after `set lr 5` comes back to the weights from before the change, with the rate
/// that worked, not to weights that were finite but already blown up.
struct Checkpoint {
    /// What was kept, for the divergence report.
    struct Kept {
        var update: Int
        /// The mean batch loss of the updates before it (the first loss, for the start).
        var loss: Float
        /// The base learning rate the weights were trained at; nil for the run's starting
        /// weights, which no rate has trained yet.
        var learningRate: Float?
    }

    private var weights: [Tensor]
    /// nil until a sane loss has been seen: the weights then are only the run's start, finite
    /// but not known to be sane.
    private(set) var kept: Kept?
    private var lossSum: Double = 0
    private var lossCount = 0
    private var startChecked = false

    /// The run's starting weights.
    init(_ trainer: Trainer) {
        weights = trainer.model.parameters.map(\.value)
    }

    static func isSane(_ loss: Float, firstLoss: Float?) -> Bool {
        loss.isFinite && loss <= 2 * max(firstLoss ?? .infinity, 1e-3)
    }

    /// Notes one update's batch loss (taken before the update, at the weights it started from).
    mutating func observe(_ loss: Float, of trainer: Trainer) {
        if !startChecked {
            // The first loss of the run is the loss of its starting weights.
            startChecked = true
            if Self.isSane(loss, firstLoss: trainer.firstLoss) {
                kept = Kept(update: trainer.updates - 1, loss: loss, learningRate: nil)
            }
        }
        lossSum += Double(loss)
        lossCount += 1
    }

    /// Keeps the current weights if the updates since the last checkpoint had a sane mean loss.
    mutating func saveIfSane(_ trainer: Trainer) {
        guard lossCount > 0 else { return }
        let mean = Float(lossSum / Double(lossCount))
        lossSum = 0
        lossCount = 0
        let parameters = trainer.model.parameters
        guard Self.isSane(mean, firstLoss: trainer.firstLoss), parameters.allSatisfy({ $0.value.isFinite }) else { return }
        for (i, p) in parameters.enumerated() { weights[i].assign(p.value) }
        kept = Kept(update: trainer.updates, loss: mean, learningRate: trainer.learningRate)
    }

    /// Puts the kept weights back; returns what they were, or nil when none was sane (the run's
    /// starting weights come back then).
    mutating func restore(into trainer: Trainer) -> Kept? {
        for (p, saved) in zip(trainer.model.parameters, weights) { p.value.assign(saved) }
        lossSum = 0
        lossCount = 0
        return kept
    }
}
