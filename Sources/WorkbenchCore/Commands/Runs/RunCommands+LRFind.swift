import TensorCore
import NeuralEngine
import CommandLanguage
import Models

extension RunCommands {
    /// `lr find [from=X] [to=X]`: the learning-rate range test on a copy of the current run's
    /// weights (the next run's before any run), so nothing the learner trains changes.
    func lrFind(_ c: Command) throws(DescentError) {
        guard let data = bench.data else { throw DescentError("no data yet: try `data spiral`") }
        let start = Float(c.number(orDefault: "from")), end = Float(c.number(orDefault: "to"))
        guard end > start * 10 else { throw DescentError("lr find: `to` must be at least 10 times `from` (a sweep over decades)") }
        // The weights the next `train` would train: a run stepped by hand (never while a thread
        // trains it), or else the next run's, drawn from a copy of the generator.
        let source: (run: Int?, weights: [String: Tensor], setup: Setup)
        switch runs.currentPhase {
        case .driven?, .ready?, .stepped?:
            let idle = try runs.idleRun(for: "lr find")
            source = (idle.id, idle.trainer.model.parameterValues, bench.records[idle.id - 1].setup)
        case .ended?, nil:
            source = (nil, try bench.previewModel().parameterValues, bench.setup)
        }
        var copySetup = source.setup
        copySetup.schedule = .constant
        let factory = RunFactory(setup: copySetup, pace: 0, clock: bench.frontEnd.runClock, budget: runs.budget)
        var rng = SeededGenerator(seed: bench.setup.seed)
        let copy = try factory.trainer(for: data, rng: &rng)
        do { try copy.trainer.model.setParameterValues(source.weights) } catch { throw DescentError("lr find: \(error.description)") }
        let steps = min(500, max(100, copy.trainer.updatesPerEpoch))
        guard let result = LearningRateRangeTest.run(copy.trainer, from: start, to: end, steps: steps) else {
            throw DescentError("lr find: the loss did not fall at any rate from \(fmt(start)) to \(fmt(end)); try `lr find from=\(fmt(start / 100))`")
        }
        bench.views.lrFind = ViewState.LearningRateFind(run: source.run, result: result)
        bench.views.ask(for: .lrFind)
        let weights = source.run.map { "run \($0)'s weights (the run is untouched)" } ?? "the next run's initial weights"
        bench.say("lr find on a copy of \(weights): \(result.rates.count) updates, lr from \(fmt(start)) to \(fmt(result.rates.last ?? end))"
            + (result.diverged ? ", where the smoothed loss passed 4 times its minimum" : ""))
        let atEnd = result.minimum == result.rates.last
        bench.say("suggested lr \(fmt(result.suggestion)): a tenth of lr \(fmt(result.minimum)), where the loss was lowest"
            + (atEnd ? " — at the end of the sweep, so it may fall further (`lr find to=\(fmt(end * 100))` looks)"
                     : result.diverged ? " (beyond it the loss shot up: that rate is at the edge of divergence)"
                     : " (beyond it the loss rose again)")
            + ". `set lr suggested` uses it"
            + (source.run == nil ? " (for the next run)" : " for run \(source.run!); `optimizer … lr=\(fmt(result.suggestion))` for new runs"),
            .info)
        if let note = bench.frontEnd.screenNote { bench.say(note, .info) }
    }
}
