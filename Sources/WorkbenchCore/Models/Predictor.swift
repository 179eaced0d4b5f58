import TensorCore
import NeuralEngine
import Datasets

/// One prediction: the class with its probabilities for a classifier, the value for regression.
public struct Prediction: Equatable, Sendable {
    /// The predicted class's index, for a classifier.
    public var classIndex: Int?
    /// One per class where the model gives probabilities (softmax, sigmoid); nil for a
    /// margin classifier (hinge), whose output is a score.
    public var probabilities: [Float]?
    /// The regression value in the data's units, or the hinge classifier's score.
    public var value: Float?
}

/// A model ready to answer: the inference copy of its weights and the preprocessing that turns
/// a row in the data's own units into its input. `predict` in the REPL and the model server
/// use this one path, so they cannot disagree. Safe to call from any thread (the weights are
/// a snapshot; each concurrent caller gets a model of its own from `InferenceModel`).
public final class Predictor: Sendable {
    public let card: SavedModel
    public let inference: InferenceModel
    /// The most rows one call takes.
    public static let maxRows = 10_000

    public init(_ file: ModelFile) throws(SessionError) {
        do {
            var unused = SeededGenerator(seed: 0)   // every weight is set below
            let model = try Sequential(file.model.architecture, rng: &unused)
            try model.setParameterValues(file.weights)
            model.foldHead(file.model.foldedHead)
            inference = try InferenceModel(model)
        } catch {
            throw SessionError("the model cannot be built: \(error)")
        }
        card = file.model
    }

    /// The model's answers for `rows`, each written in the data's units (`InputSchema`).
    /// Throws naming the row and column of the first bad cell; nothing is computed then.
    public func predict(_ rows: [[InputSchema.Cell]]) throws(InputError) -> [Prediction] {
        guard !rows.isEmpty else { throw InputError(row: 0, column: nil, "expected at least one row") }
        guard rows.count <= Self.maxRows else {
            throw InputError(row: Self.maxRows, column: nil, "expected at most \(Self.maxRows) rows, got \(rows.count)")
        }
        let p = card.preprocessing
        var x: [Float] = []
        let width = p.inputShape.reduce(1, *)
        x.reserveCapacity(rows.count * width)
        for (i, row) in rows.enumerated() { x += try p.schema.features(of: row, row: i) }
        var input = try! Tensor(shape: [rows.count] + p.inputShape, scalars: x)
        if p.inputShape.count == 1, p.means.count == width { p.standardizer.apply(to: &input) }
        let output: Tensor
        do { output = try inference.predict(input) } catch { throw InputError(row: 0, column: nil, "\(error)") }
        return (0..<rows.count).map { prediction(row: $0, of: output) }
    }

    private func prediction(row i: Int, of output: Tensor) -> Prediction {
        let k = output.columns
        let y = Array(output.scalars[i * k..<(i + 1) * k])
        guard let classes = card.classNames else {
            let value = card.preprocessing.targetScaling.map { $0.mean + $0.deviation * y[0] } ?? y[0]
            return Prediction(value: value)
        }
        if k == 1 {
            if card.loss == .hinge { return Prediction(classIndex: y[0] > 0 ? 1 : 0, value: y[0]) }
            return Prediction(classIndex: y[0] > 0.5 ? 1 : 0, probabilities: [1 - y[0], y[0]])
        }
        let best = y.indices.max { y[$0] < y[$1] } ?? 0
        return Prediction(classIndex: min(best, classes.count - 1), probabilities: y)
    }
}
