import TensorCore
import NeuralEngine
import Training
import Models

/// The next run before its first update, for the views that make sense before training (the
/// decision boundary, one hidden unit, the loss contour with the starting point, attention):
/// its record-to-be (the start on the contour) and a snapshot of its starting weights. Made
/// without drawing from the session's generator, so looking never changes the run that follows.
public struct Preview: Equatable, Sendable {
    /// What the next run's record will hold before its first update (status `ready`).
    public var record: RunRecord
    /// Its starting weights, evaluated as a run's snapshots are.
    public var snapshot: RunSnapshot

    /// What a preview is made from: it is made again only when one of these changes.
    struct Key: Equatable {
        var setup: Setup
        var generator: SeededGenerator
        var nextID: Int
        var unit: ViewState.Unit?
        var attentionSample: Int
    }
}

extension Workbench {
    /// The next run before its first update; nil while a run is current (its own record and
    /// snapshot are what the views show), or when the set-up makes no model yet.
    var preview: Preview? {
        guard runs.currentRecord == nil, !runs.isBusy, let data, setup.model != nil else { return nil }
        let key = Preview.Key(setup: setup, generator: random.generator, nextID: runs.nextID, unit: views.unit,
                              attentionSample: views.attention.sample)
        if let cached = previewCache, cached.key == key { return cached.preview }
        var made: Preview?
        var generator = random.generator   // a copy: the session's does not move
        var rng = generator.split()
        if let next = try? factory.trainer(for: data, rng: &rng) {
            let trainer = next.trainer
            let validation = trainer.evaluate(x: data.validation.features, y: data.validation.targets)
            var snapshot = RunSnapshot.of(trainer, validation: validation, validationX: data.validation.features,
                                          probe: data.probeGrid?.points, unit: views.unit.map { ($0.layer, $0.unit) },
                                          attentionSample: views.attention.sample)
            snapshot.ladder = nil
            var record = factory.record(id: runs.nextID, data: data, trainer: next, role: .single, epochs: 0)
            record.validationEvaluation = validation
            made = Preview(record: record, snapshot: snapshot)
        }
        previewCache = (key, made)
        return made
    }
}
