import TensorCore
import NeuralEngine

/// What a run will cost, known before it starts from the model and the plan alone: its
/// parameters, the multiply-adds of one update, and of the whole run. The same on every machine;
/// the time it takes is measured on the run itself (`SpeedWatch`).
public struct CostEstimate: Sendable, Equatable {
    public var parameters: Int
    /// Multiply-adds of one update (forward and backward), `Sequential.multiplyAddsPerUpdate`.
    public var multiplyAddsPerUpdate: Int
    public var updates: Int
    public var epochs: Int

    /// All multiply-adds of the run's updates.
    public var totalMultiplyAdds: Double { Double(multiplyAddsPerUpdate) * Double(updates) }

    /// The counts for `epochs` epochs of `trainer` at its batch size.
    public init(_ trainer: Trainer, epochs: Int) {
        parameters = trainer.model.parameterCount
        multiplyAddsPerUpdate = trainer.model.multiplyAddsPerUpdate(batch: trainer.batchSize ?? trainer.sampleCount)
        updates = epochs * trainer.updatesPerEpoch
        self.epochs = epochs
    }
}
