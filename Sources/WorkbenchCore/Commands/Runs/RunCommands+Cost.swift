import Foundation
import NeuralEngine
import Training
import TensorCore
import Models

extension RunCommands {
    /// Whether a run is long enough to be told its cost: at least 2 s on a nominal machine that
    /// spends 20 µs on each update's bookkeeping and does 5·10⁹ multiply-adds per second (about
    /// this engine's small-model speed on one core of the machines it was built on). Decided
    /// from counts alone, so whether the line appears never differs between machines.
    static func isWorthTelling(_ cost: CostEstimate) -> Bool {
        Double(cost.updates) * 20e-6 + cost.totalMultiplyAdds / 5e9 >= 2
    }

    /// Before a run that is worth it: its parameters, multiply-adds per update, and a time
    /// estimated by timing a few updates of a copy (a timing, in brackets); minutes get a warning
    /// inside the same brackets.
    func sayCost(of run: Run, epochs: Int) {
        var cost = CostEstimate(run.trainer, epochs: epochs)
        guard Self.isWorthTelling(cost) else { return }
        let factory = RunFactory(setup: runs.records[run.id - 1].setup, pace: 0, clock: bench.frontEnd.runClock, budget: runs.budget)
        var rng = SeededGenerator(seed: 0)
        var estimate = ""
        if let copy = try? factory.trainer(for: run.data, rng: &rng) {
            copy.trainer.batchSize = run.trainer.batchSize
            cost.measure(on: copy.trainer, validationX: run.data.validation.features, validationY: run.data.validation.targets,
                         probe: bench.data?.probeGrid?.points, clock: TrainingRun.monotonicSeconds)
            let seconds = cost.seconds
            let time = seconds >= 90 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f s", seconds)
            estimate = " · estimated [\(time), \(rate(1 / max(cost.secondsPerUpdate, 1e-9))) updates/s"
                + (seconds >= 60 ? ": minutes; `stop` ends it early, fewer epochs or a smaller model end sooner" : "") + "]"
        }
        bench.say("cost: \(grouped(cost.parameters)) parameters · \(rate(Double(cost.multiplyAddsPerUpdate))) multiply-adds per update"
                  + " × \(grouped(cost.updates)) updates = \(rate(cost.totalMultiplyAdds))" + estimate, .info)
    }
}
