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
    /// A sequence model's answer: the symbols it wrote after the prompt, one at a time.
    public var answer: [String]?
    /// The probability the model gave each symbol of `answer` when it wrote it.
    public var answerProbabilities: [Float]?
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
        if case let .symbols(vocabulary, prompt) = p.schema.form {
            return generate(prompts: x, count: rows.count, prompt: prompt, vocabulary: vocabulary)
        }
        var input = try! Tensor(shape: [rows.count] + p.inputShape, scalars: x)
        if p.inputShape.count == 1, p.means.count == width { p.standardizer.apply(to: &input) }
        let output: Tensor
        do { output = try inference.predict(input) } catch { throw InputError(row: 0, column: nil, "\(error)") }
        return (0..<rows.count).map { prediction(row: $0, of: output) }
    }

    /// Greedy decoding: from each row's prompt, the likeliest next symbol, appended, until the
    /// sequence is complete (the model's block plus one). Later positions are zeros until
    /// written; causal attention keeps them from changing the positions before them. Rows go
    /// through together, one forward pass per written symbol.
    private func generate(prompts: [Float], count: Int, prompt: Int, vocabulary: [String]) -> [Prediction] {
        let block = card.preprocessing.inputShape.reduce(1, *), v = vocabulary.count
        var input = Tensor(shape: [count, block])
        for i in 0..<count {
            for t in 0..<prompt { input.scalars[i * block + t] = prompts[i * prompt + t] }
        }
        var answers = Array(repeating: Prediction(answer: [], answerProbabilities: []), count: count)
        for position in max(prompt, 1) - 1..<block {
            guard let output = try? inference.predict(input) else { break }
            for i in 0..<count {
                let base = (i * block + position) * v
                let probabilities = output.scalars[base..<(base + v)]
                let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] }! - base
                answers[i].answer!.append(vocabulary[best])
                answers[i].answerProbabilities!.append(probabilities[base + best])
                if position + 1 < block { input.scalars[i * block + position + 1] = Float(best) }
            }
        }
        return answers
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
