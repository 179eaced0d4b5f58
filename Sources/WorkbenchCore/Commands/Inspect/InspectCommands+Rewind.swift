import TensorCore
import NeuralEngine
import Training
import CommandLanguage
import Models

extension InspectCommands {
    /// `rewind EPOCH`: the panes show the current run's weights as they were at the end of
    /// that epoch (the nearest kept), computed on a copy; the run itself is untouched.
    /// `rewind off` goes back to now.
    func rewind(_ c: Command) throws(DescentError) {
        if c.keyword(RewindWord.self) == .off {
            guard let back = bench.views.rewound else { throw DescentError("rewind off: nothing is rewound") }
            bench.views.rewound = nil
            bench.say("back to now: run \(back.run) at epoch \(bench.currentRecord?.epochs ?? 0)", .info)
            return
        }
        guard let epoch = c.positional(0)?.integer else { throw DescentError("rewind: expected an epoch or off") }
        try rewind(to: epoch)
    }

    /// Makes the panes show the current run at the kept epoch nearest `epoch`; says so unless
    /// `quietly` (a view that changed redraws the same epoch).
    func rewind(to epoch: Int, quietly: Bool = false) throws(DescentError) {
        let run = try runs.idleRun(for: "rewind")
        guard let kept = run.checkpoints?.nearest(to: epoch), let data,
              let architecture = bench.records[run.id - 1].architecture else {
            throw DescentError("rewind: run \(run.id) kept no epochs to go back to")
        }
        // A copy of the model with the kept weights, evaluated as the run's own snapshots are.
        var unused = SeededGenerator(seed: 0)
        let copy: Trainer
        do {
            let model = try Sequential(architecture, rng: &unused)
            for (p, w) in zip(model.parameters, kept.weights) { p.value.assign(w) }
            copy = try Trainer(model: model, loss: run.trainer.loss, optimizer: SGD(), learningRate: 0, x: run.data.train.features,
                               y: run.data.train.targets, classes: run.trainer.classes, batchSize: run.trainer.batchSize,
                               rng: unused)
            copy.regularizer = run.trainer.regularizer
            copy.targetScaling = run.trainer.targetScaling
        } catch {
            throw DescentError("rewind: \(error)")
        }
        // Gradients at those weights, on the first batch of training samples (no weight moves).
        let first = Array(0..<min(run.trainer.batchSize ?? run.trainer.sampleCount, run.trainer.sampleCount))
        var batchX = Tensor(shape: [0]), batchY = Tensor(shape: [0])
        run.data.train.features.gatherRows(first[...], into: &batchX)
        run.data.train.targets.gatherRows(first[...], into: &batchY)
        _ = try? copy.computeGradients(on: batchX, batchY)
        let validation = copy.evaluate(x: run.data.validation.features, y: run.data.validation.targets)
        var snapshot = RunSnapshot.of(copy, validation: validation, validationX: run.data.validation.features,
                                      probe: data.probeGrid?.points, unit: bench.views.unit.map { ($0.layer, $0.unit) },
                                      attentionSample: bench.views.attention.sample)
        snapshot.update = kept.update
        snapshot.epoch = kept.epoch
        snapshot.ladder = runs.snapshot()?.ladder?.filter { $0.update <= kept.update }
        snapshot.heads = runs.snapshot()?.heads?.through(update: kept.update, latest: HeadScores.read(copy.model))
        bench.views.rewound = ViewState.Rewound(run: run.id, epoch: kept.epoch, update: kept.update, snapshot: snapshot)
        if quietly { return }
        let train = copy.evaluate(x: run.data.train.features, y: run.data.train.targets)
        let metric = validation.headline.map { ", \($0.name) \(fmt($0.value))" } ?? ""
        // Which epoch, and why that one: a long run keeps every n-th epoch, so the one asked for
        // may not be there; its neighbours say what was.
        var spacing = ""
        if let checkpoints = run.checkpoints, kept.epoch != epoch {
            let epochs = checkpoints.checkpoints.map(\.epoch)
            let i = epochs.firstIndex(of: kept.epoch) ?? 0
            let around = epochs[max(0, i - 1)...min(epochs.count - 1, i + 1)].map(String.init).joined(separator: ", ")
            spacing = " (epoch \(epoch) was not kept: " + (checkpoints.spacing > 1
                ? "a long run keeps fewer epochs as it grows, to bound memory; kept near it: \(around))"
                : "kept near it: \(around))")
        }
        bench.say("run \(run.id) as it was at epoch \(kept.epoch), update \(grouped(kept.update))\(spacing): train loss \(fmt(train.loss))"
            + " · val loss \(fmt(validation.loss))\(metric). The panes show it; `rewind off` returns to epoch \(run.trainer.epochs)")
    }
}
