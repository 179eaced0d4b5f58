import Foundation
import TensorCore

/// A copy of a trained model for predictions only, safe to use from any thread: the
/// architecture, a snapshot of the weights and the folded head, nothing shared with the model it
/// was taken from. Predictions equal the original's bit for bit (the same layers compute them
/// from the same weights), while the original keeps training.
///
/// Layers keep scratch buffers between calls, so each concurrent caller needs a model of its
/// own: the copy builds them on demand from its snapshot and keeps the idle ones for reuse, so a
/// warm server allocates no model per request.
public final class InferenceModel: @unchecked Sendable {
    public let architecture: ModelArchitecture
    /// The weights by name (`dense1.w` …), as they were when the copy was taken.
    public let weights: [String: Tensor]
    /// The activation `predict` applies after the last layer (a fold into the loss).
    public let foldedHead: Activation?

    // Models not in use by a caller. Guarded by `lock`; `@unchecked Sendable` because every
    // other stored property is an immutable value.
    private let lock = NSLock()
    private var idle: [Sequential] = []

    /// A snapshot of `model`, which must be built.
    public init(_ model: Sequential) throws(ModelError) {
        guard let architecture = model.architecture else { throw .notBuilt }
        self.architecture = architecture
        self.weights = model.parameterValues
        self.foldedHead = model.foldedHead
    }

    /// The model's output for the batch `x` (probabilities where a head is folded).
    public func predict(_ x: Tensor) throws(ModelError) -> Tensor {
        let model = try checkOut()
        defer { checkIn(model) }
        return try model.predict(x)
    }

    /// The attention maps on one sample `x` (1, T) of ids, from a model of its own (any thread).
    public func attention(_ x: Tensor) -> AttentionMaps? {
        guard let model = try? checkOut() else { return nil }
        defer { checkIn(model) }
        return AttentionMaps.of(model, x: x, sample: 0)
    }

    /// `count` symbols after each prompt (`Sampling.write`), from a model of its own (any
    /// thread), with a KV cache when the model is a GPT (`CachedDecoder`).
    public func write(after prompts: [[Int]], count: Int, block: Int, temperature: Float, topK: Int?, topP: Float?,
                      rng: inout SeededGenerator) -> [Sampling.Written] {
        guard let writing = try? writing(after: prompts, block: block) else { return [] }
        for _ in 0..<count {
            guard writing.next(temperature: temperature, topK: topK, topP: topP, rng: &rng) else { break }
        }
        return writing.writer.written
    }

    /// Sequences written one symbol at a time by a model of their own, kept until the writing
    /// ends (a stream keeps its KV cache between the symbols it sends).
    public func writing(after prompts: [[Int]], block: Int) throws(ModelError) -> Writing {
        Writing(self, model: try checkOut(), prompts: prompts, block: block)
    }

    public final class Writing {
        let owner: InferenceModel
        let model: Sequential
        public let writer: Sampling.Writer

        init(_ owner: InferenceModel, model: Sequential, prompts: [[Int]], block: Int) {
            self.owner = owner
            self.model = model
            writer = Sampling.Writer(prompts: prompts, block: block, decoder: CachedDecoder(model))
        }

        /// One more symbol in every row (`Sampling.Writer.next`); false when the model failed.
        public func next(temperature: Float, topK: Int?, topP: Float?, rng: inout SeededGenerator) -> Bool {
            writer.next(temperature: temperature, topK: topK, topP: topP, rng: &rng) { [model] in try? model.predict($0) }
        }

        deinit { owner.checkIn(model) }
    }

    /// The number of trainable scalars.
    public var parameterCount: Int { weights.values.reduce(0) { $0 + $1.count } }

    private func checkOut() throws(ModelError) -> Sequential {
        if let model = lock.withLock({ idle.popLast() }) { return model }
        var unused = SeededGenerator(seed: 0)   // every weight is overwritten below
        let model = try Sequential(architecture, rng: &unused)
        try model.setParameterValues(weights)
        model.foldHead(foldedHead)
        return model
    }

    private func checkIn(_ model: Sequential) {
        lock.withLock { idle.append(model) }
    }
}
