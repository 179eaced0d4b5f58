import TensorCore
import NeuralEngine

/// Early stopping: keeps the weights of the epoch with the best validation loss, and says when
/// `patience` epochs have gone by without a better one (Keras' `EarlyStopping` with
/// `restore_best_weights`).
struct EarlyStopping {
    let patience: Int
    private(set) var bestLoss = Float.infinity
    private(set) var bestEpoch = 0
    private var weights: [Tensor] = []

    init(patience: Int) { self.patience = max(1, patience) }

    /// Takes epoch `epoch`'s validation loss; keeps the weights when it is the best so far.
    /// Returns true when the run should stop: `patience` epochs since the best.
    mutating func observe(_ loss: Float, epoch: Int, parameters: [Parameter]) -> Bool {
        if loss < bestLoss {
            if weights.count != parameters.count { weights = parameters.map(\.value) }
            for (i, p) in parameters.enumerated() { weights[i].assign(p.value) }
            bestLoss = loss
            bestEpoch = epoch
            return false
        }
        return epoch - bestEpoch >= patience
    }

    /// Whether the best epoch's weights are kept and differ from the epoch `now` ended on.
    func hasBetter(than now: Int) -> Bool { !weights.isEmpty && bestEpoch < now }

    /// Puts the best epoch's weights back.
    func restore(into parameters: [Parameter]) {
        for (p, saved) in zip(parameters, weights) { p.value.assign(saved) }
    }
}
