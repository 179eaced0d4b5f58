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
        Double(cost.updates) * nominalSeconds(cost) >= 2
    }

    /// An update's seconds on that nominal machine.
    static func nominalSeconds(_ cost: CostEstimate) -> Double { 20e-6 + Double(cost.multiplyAddsPerUpdate) / 5e9 }

    /// Before a run that is worth it: its parameters and multiply-adds per update and in all
    /// (counts: the same on every machine); returns the update after which the run times itself
    /// and reports its estimated time (`SpeedWatch`), nil when it is not worth telling.
    func sayCost(of run: Run, epochs: Int) -> Int? {
        let cost = CostEstimate(run.trainer, epochs: epochs)
        guard Self.isWorthTelling(cost) else { return nil }
        let beforeFirstLine = run.trainer.updatesPerEpoch * runs.records[run.id - 1].reportEvery
        let after = SpeedWatch.update(forRunOf: cost.updates, beforeFirstLine: beforeFirstLine, nominalSeconds: Self.nominalSeconds(cost))
        let timed = after < cost.updates
        bench.say("cost: \(grouped(cost.parameters)) parameters · \(rate(Double(cost.multiplyAddsPerUpdate))) multiply-adds per update"
                  + " × \(grouped(cost.updates)) updates = \(rate(cost.totalMultiplyAdds))"
                  + (timed ? "; the time follows its first \(grouped(after)) updates" : ""), .info)
        return timed ? after : nil
    }
}
