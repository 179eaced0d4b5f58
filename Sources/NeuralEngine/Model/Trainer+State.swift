import TensorCore

/// Everything a trainer holds besides the weights that decides its next updates: counts, the
/// shuffling generator and where it is in the epoch's order, the base rate and batch size, the
/// optimizer's slots and the dropout layers' generators. A saved model keeps it, so training a
/// loaded model goes on exactly as the original would have, bit for bit on the same machine.
public struct TrainerState: Codable, Equatable, Sendable {
    public var updates: Int
    public var epochs: Int
    public var firstLoss: Float?
    public var shuffle: SeededGenerator
    public var order: [Int]
    public var position: Int
    /// The trainer's `learningRate` (η₀) when saved (the file's key keeps its first name).
    public var baseLearningRate: Float
    public var batchSize: Int?
    public var plannedUpdates: Int
    public var optimizer: OptimizerState
    /// The generators of the layers that draw during training (dropout), by layer name.
    public var layerGenerators: [String: SeededGenerator]
}

extension Trainer {
    public var state: TrainerState {
        TrainerState(updates: updates, epochs: epochs, firstLoss: firstLoss, shuffle: rng, order: order,
                     position: position, baseLearningRate: learningRate, batchSize: batchSize,
                     plannedUpdates: plannedUpdates, optimizer: optimizer.state,
                     layerGenerators: model.layerGenerators)
    }

    /// Puts a saved state back. Checks it first (the order is a permutation of this trainer's
    /// samples, the position inside it, the optimizer's slots fit the parameters, the layer
    /// generators name this model's dropout layers); on any mismatch it throws and changes nothing.
    public func restore(_ state: TrainerState) throws(ModelError) {
        guard state.order.count == sampleCount, Set(state.order) == Set(0..<sampleCount) else {
            throw .invalidOption(field: "training state order", expected: "the \(sampleCount) training samples, each once",
                                 got: "\(state.order.count) entries")
        }
        guard (0...sampleCount).contains(state.position), state.updates >= 0, state.epochs >= 0,
              state.baseLearningRate.isFinite, state.plannedUpdates >= 1 else {
            throw .invalidOption(field: "training state", expected: "counts ≥ 0, a position in the epoch and a finite rate",
                                 got: "update \(state.updates), epoch \(state.epochs), position \(state.position)")
        }
        guard Set(state.layerGenerators.keys) == Set(model.layerGenerators.keys) else {
            throw .invalidOption(field: "training state layer generators",
                                 expected: model.layerGenerators.keys.sorted().joined(separator: ", "),
                                 got: state.layerGenerators.keys.sorted().joined(separator: ", "))
        }
        try optimizer.restore(state.optimizer, for: model.parameters)
        updates = state.updates
        epochs = state.epochs
        firstLoss = state.firstLoss
        rng = state.shuffle
        order = state.order
        position = state.position
        learningRate = state.baseLearningRate
        batchSize = state.batchSize
        plannedUpdates = state.plannedUpdates
        model.layerGenerators = state.layerGenerators
    }
}

extension Sequential {
    /// The generators of layers that draw while training (dropout masks), by layer name.
    public internal(set) var layerGenerators: [String: SeededGenerator] {
        get {
            Dictionary(uniqueKeysWithValues: zip(names, layers).compactMap { name, layer in
                (layer as? Dropout).map { (name, $0.rng) }
            })
        }
        set {
            for (name, layer) in zip(names, layers) {
                if let dropout = layer as? Dropout, let g = newValue[name] { dropout.rng = g }
            }
        }
    }
}
