import TensorCore
import NeuralEngine
import Training
import Models

/// Makes runs from a set-up: the model it describes built for some data, its trainer, the
/// engine's `TrainingRun` and the record. The session makes single runs with it, a
/// cross-validation its folds, so every run is made the same way.
struct RunFactory {
    var setup: Setup
    /// Updates per second for new runs (0: full speed).
    var pace: Double
    var clock: @Sendable () -> Double
    var budget: ThreadBudget

    /// A trainer for `data` with the set-up's model, loss, optimizer and settings, its weights
    /// drawn from `rng`. Throws, saying what is missing or does not fit, before anything changes.
    func trainer(for data: DataState, rng: inout SeededGenerator) throws(DescentError)
        -> (trainer: Trainer, loss: LossKind, architecture: ModelArchitecture) {
        guard let spec = setup.model else { throw DescentError("no model yet: try `model mlp 8,8 act=tanh`") }
        let (configs, defaultLoss) = try spec.layers(for: data.full, dropout: setup.dropout)
        let loss = setup.loss ?? defaultLoss
        do {
            let model = try Sequential(configs)
            try model.build(inputShape: Array(data.train.features.shape.dropFirst()), rng: &rng)
            if let scale = spec.initScale {
                for p in model.parameters where p.isRegularized { p.value.scale(by: scale) }
            }
            let trainer = try Trainer(model: model, loss: loss.makeLoss(), optimizer: setup.optimizer.makeOptimizer(), learningRate: setup.optimizer.learningRate,
                                      x: data.train.features, y: data.train.targets,
                                      classes: data.task.classCount, batchSize: setup.batch.size, rng: rng)
            trainer.regularizer = setup.regularizer
            trainer.schedule = setup.schedule
            trainer.targetScaling = data.targetScaling
            return (trainer, loss, model.architecture!)
        } catch {
            throw DescentError(error.description)
        }
    }

    /// The engine's run of `epochs` epochs on `trainer`, validated on `data`.
    func training(_ trainer: Trainer, data: DataState, epochs: Int, paused: Bool, probe: Bool = true,
                  patience: Int? = nil, checkpoints: EpochCheckpoints? = nil) -> TrainingRun {
        let run = TrainingRun(trainer: trainer, epochs: epochs, validationX: data.validation.features,
                              validationY: data.validation.targets, paused: paused, pace: pace,
                              probe: probe ? data.probeGrid?.points : nil, patience: patience, epochCheckpoints: checkpoints,
                              budget: budget, clock: clock)
        run.ladder = LossLadder.Writer(for: data).map(LossLadder.init(writer:))
        return run
    }

    /// Run `id` of a new model: its trainer, its first engine run, and the ring of epoch
    /// checkpoints `rewind` reads (holding its starting weights as epoch 0).
    func run(id: Int, _ made: (trainer: Trainer, loss: LossKind, architecture: ModelArchitecture), data: DataState,
             epochs: Int, paused: Bool, probe: Bool = true, patience: Int? = nil, experiment: any Experiment) -> Run {
        let checkpoints = EpochCheckpoints(parameterCount: made.trainer.model.parameterCount)
        checkpoints.save(made.trainer.model, epoch: made.trainer.epochs, update: made.trainer.updates)
        let run = Run(id: id, trainer: made.trainer, data: data,
                      training: training(made.trainer, data: data, epochs: epochs, paused: paused, probe: probe,
                                         patience: patience, checkpoints: checkpoints),
                      experiment: experiment)
        run.checkpoints = checkpoints
        return run
    }

    /// A new record for run `id`.
    func record(id: Int, data: DataState, trainer: (trainer: Trainer, loss: LossKind, architecture: ModelArchitecture),
                role: RunRecord.Role, epochs: Int) -> RunRecord {
        var record = RunRecord(id: id, setup: setup, architecture: trainer.architecture, loss: trainer.loss, role: role,
                               plannedEpochs: epochs, metricName: data.task.headlineMetric)
        record.learningRate = trainer.trainer.learningRate
        record.parameterCount = trainer.trainer.model.parameterCount
        let parameters = trainer.trainer.model.parameters
        if parameters.count == 2, parameters.allSatisfy({ $0.value.count == 1 }) {
            record.path.append(.init(update: trainer.trainer.updates, w: parameters[0].value.scalars[0],
                                     b: parameters[1].value.scalars[0]))
        }
        return record
    }
}
