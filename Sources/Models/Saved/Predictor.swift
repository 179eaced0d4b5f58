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
    /// The name it is served under (`/v2/models/{name}`): the saved file's, or the run's.
    public let name: String
    /// The most rows one call takes.
    public static let maxRows = 10_000
    /// How long building it from its file took (the model server's load time).
    public let loadDuration: Duration

    public init(_ file: ModelFile, name: String = "model") throws(DescentError) {
        let started = ContinuousClock.now
        self.name = name
        do {
            var unused = SeededGenerator(seed: 0)   // every weight is set below
            let model = try Sequential(file.model.architecture, rng: &unused)
            try model.setParameterValues(file.weights)
            model.foldHead(file.model.foldedHead)
            inference = try InferenceModel(model)
        } catch {
            throw DescentError("the model cannot be built: \(error)")
        }
        card = file.model
        loadDuration = ContinuousClock.now - started
    }

    /// The model's answers for `rows`, each written in the data's units (`InputSchema`).
    /// Throws naming the row and column of the first bad cell; nothing is computed then.
    public func predict(_ rows: [[InputSchema.Cell]]) throws(InputError) -> [Prediction] {
        guard !rows.isEmpty else { throw InputError(row: 0, column: nil, "expected at least one row") }
        guard rows.count <= Self.maxRows else {
            throw InputError(row: Self.maxRows, column: nil, "expected at most \(Self.maxRows) rows, got \(rows.count)")
        }
        let p = card.preprocessing
        if case .symbols(_, 0) = p.schema.form {
            throw InputError(row: 0, column: nil, "this model continues text: `generate` writes with it")
        }
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

    /// Greedy decoding (`Sampling`): from each row's prompt, the likeliest next symbol, until
    /// the sequence is complete (the model's block plus one). All rows go through together.
    private func generate(prompts: [Float], count: Int, prompt: Int, vocabulary: [String]) -> [Prediction] {
        let rows = (0..<count).map { i in (0..<prompt).map { Int(prompts[i * prompt + $0]) } }
        var unused = SeededGenerator(seed: 0)   // greedy: no draws
        return write(after: rows, count: block + 1 - prompt, temperature: 0, topK: nil, rng: &unused)
            .map { Prediction(answer: $0.ids.map { vocabulary[$0] }, answerProbabilities: $0.probabilities) }
    }

    /// `count` symbols after each prompt (ids), written by the model (`Sampling`).
    public func write(after prompts: [[Int]], count: Int, temperature: Float, topK: Int?, topP: Float? = nil,
                      rng: inout SeededGenerator) -> [Sampling.Written] {
        inference.write(after: prompts, count: count, block: block, temperature: temperature, topK: topK, topP: topP, rng: &rng)
    }

    /// Sequences of many requests written together, one step for all, each keeping its KV
    /// cache between symbols (a server's streams); nil when the model cannot be used.
    public func batch() -> InferenceModel.Batch? {
        try? inference.batch(block: block)
    }

    /// The sequence model's block: the symbols it reads at once.
    public var block: Int { card.preprocessing.inputShape.reduce(1, *) }

    /// A sequence model's attention on the window of `ids` it reads to write the next symbol
    /// (the last block of them, as `write` gives it), one position per id; nil without attention.
    public func attention(after ids: [Int]) -> AttentionMaps? {
        let window = min(ids.count, block)
        guard window > 0 else { return nil }
        var x = Tensor(shape: [1, block])
        for t in 0..<window { x.scalars[t] = Float(ids[ids.count - window + t]) }
        return inference.attention(x)?.prefix(window)
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
