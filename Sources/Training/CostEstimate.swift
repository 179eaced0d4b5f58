import TensorCore
import NeuralEngine

/// What a run will cost, known before it starts: its parameters, the multiply-adds of one
/// update, and a time estimate from timing a few updates of a copy on this machine.
///
///     seconds ≈ updates × (time of one update) + epochs × (time of one validation pass)
///
/// The counts depend only on the model and the plan; the times are measurements (they differ
/// from machine to machine and from run to run, and are printed as timings).
public struct CostEstimate: Sendable, Equatable {
    public var parameters: Int
    /// Multiply-adds of one update (forward and backward), `Sequential.multiplyAddsPerUpdate`.
    public var multiplyAddsPerUpdate: Int
    public var updates: Int
    public var epochs: Int
    /// Measured: seconds per update, and per evaluation of the validation set.
    public var secondsPerUpdate: Double = 0
    public var secondsPerEvaluation: Double = 0

    /// All multiply-adds of the run's updates.
    public var totalMultiplyAdds: Double { Double(multiplyAddsPerUpdate) * Double(updates) }

    /// The estimated training time at full speed.
    public var seconds: Double { Double(updates) * secondsPerUpdate + Double(epochs) * secondsPerEvaluation }

    /// The counts for `epochs` epochs of `trainer` at its batch size (nothing timed yet).
    public init(_ trainer: Trainer, epochs: Int) {
        parameters = trainer.model.parameterCount
        multiplyAddsPerUpdate = trainer.model.multiplyAddsPerUpdate(batch: trainer.batchSize ?? trainer.sampleCount)
        updates = epochs * trainer.updatesPerEpoch
        self.epochs = epochs
    }

    /// Times `copy` (a trainer the caller may spend: it trains) in a run like the real one (its
    /// events and snapshots included): one warm-up update, then updates until `sample` of them or
    /// `budget` seconds have passed, and one validation evaluation.
    public mutating func measure(on copy: Trainer, validationX: Tensor, validationY: Tensor, probe: Tensor?,
                                 sample: Int = 20, budget: Double = 0.25, clock: @escaping @Sendable () -> Double) {
        let run = TrainingRun(trainer: copy, epochs: 1_000_000, validationX: validationX, validationY: validationY,
                              probe: probe, clock: clock)
        let runner = ManualRunner(run: run)
        func step() { runner.runUntilIdle(limit: 1) }
        step()
        let start = clock()
        var n = 0
        while n < sample, n == 0 || clock() - start < budget {
            step()
            n += 1
        }
        secondsPerUpdate = (clock() - start) / Double(n)
        let evaluationStart = clock()
        _ = copy.evaluate(x: validationX, y: validationY)
        secondsPerEvaluation = clock() - evaluationStart
        _ = run.controls.push(.stop)
        runner.runUntilIdle()
    }
}
