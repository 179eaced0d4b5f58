import Foundation
import Testing
import TensorCore
import Datasets
@testable import NeuralEngine

/// The quality bars of the curriculum issue, on the bundled and generated data, fixed seeds.
/// Kept to a few seconds each in debug builds.
@Suite struct CurriculumLearningTests {
    /// A trainer on a stratified 80/20 split, standardised from the training split when the
    /// data's kind says so, and the validation set to judge it.
    func prepare(_ data: Dataset, layers: [any Layer], loss: any Loss, optimizer: any Optimizer, learningRate: Float,
                 batch: Int, seed: UInt64 = 42) throws -> (Trainer, Dataset) {
        var rng = SeededGenerator(seed: seed)
        var (train, validation) = try data.split(trainFraction: 0.8, rng: &rng)
        if data.kind.standardizes {
            let s = Standardizer(fitting: train.features)
            train = train.standardized(by: s)
            validation = validation.standardized(by: s)
        }
        let trainer = try Trainer(model: Sequential(layers), loss: loss, optimizer: optimizer, learningRate: learningRate,
                                  x: train.features, y: train.targets, classes: data.task.classCount,
                                  batchSize: batch, rng: rng)
        return (trainer, validation)
    }

    @Test func irisWithSoftmaxRegression() throws {
        let (trainer, validation) = try prepare(try Dataset.iris(), layers: [try Dense(units: 3, activation: .softmax)],
                                                loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 0.05, batch: 16)
        for _ in 0..<100 { trainer.trainEpoch() }
        let accuracy = trainer.evaluate(x: validation.features, y: validation.targets).accuracy!
        #expect(accuracy >= 0.93, "iris validation accuracy \(accuracy)")
    }

    @Test func digitsWithTheCNNPreset() throws {
        let data = try Dataset.digits()
        #expect(data.features.shape == [1797, 8, 8, 1] && data.kind == .image(height: 8, width: 8, channels: 1))
        let (trainer, validation) = try prepare(data, layers: try Sequential(Presets.cnn(inputShape: [8, 8, 1], classes: 10)).layers,
                                                loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 0.005, batch: 32)
        for _ in 0..<8 { trainer.trainEpoch() }
        let accuracy = trainer.evaluate(x: validation.features, y: validation.targets).accuracy!
        #expect(accuracy >= 0.95, "digits validation accuracy \(accuracy)")
    }

    @Test func textClassifierOnTheSyntheticReviews() throws {
        let data = try Dataset.reviews()
        guard case let .tokens(vocabulary, _) = data.kind else { Issue.record("not tokens"); return }
        let (trainer, validation) = try prepare(data, layers: try Sequential(Presets.textClassifier(vocabulary: vocabulary.count)).layers,
                                                loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.01, batch: 32)
        for _ in 0..<15 { trainer.trainEpoch() }
        let accuracy = trainer.evaluate(x: validation.features, y: validation.targets).accuracy!
        #expect(accuracy >= 0.80, "reviews validation accuracy \(accuracy)")
    }

    @Test func rnnBeatsTheLastValueBaseline() throws {
        var rng = SeededGenerator(seed: 7)
        let data = try Dataset.sineSequence(count: 600, length: 20, noise: 0.05, rng: &rng)
        let (trainer, validation) = try prepare(data, layers: try Sequential(Presets.rnn(features: 1)).layers,
                                                loss: MeanSquaredError(), optimizer: Adam(), learningRate: 0.01, batch: 32)
        for _ in 0..<15 { trainer.trainEpoch() }
        let mse = trainer.evaluate(x: validation.features, y: validation.targets).regression!.mse
        let baseline = validation.lastValueBaselineMSE!
        #expect(mse < 0.5 * baseline, "rnn validation MSE \(mse), last-value baseline \(baseline)")
    }
}
