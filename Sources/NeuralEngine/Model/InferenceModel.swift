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
        guard let model = try? checkOut() else { return [] }
        defer { checkIn(model) }
        return Sampling.write(after: prompts, count: count, block: block, temperature: temperature, topK: topK, topP: topP,
                              rng: &rng, decoder: CachedDecoder(model)) { try? model.predict($0) }
    }

    /// A `WritingBatch` on a model of its own, kept until the batch is let go: what a server
    /// writes every request's sequences with, one step for all of them.
    public func batch(block: Int) throws(ModelError) -> Batch {
        Batch(self, model: try checkOut(), block: block)
    }

    public final class Batch {
        let owner: InferenceModel
        let model: Sequential
        public let writing: WritingBatch

        init(_ owner: InferenceModel, model: Sequential, block: Int) {
            self.owner = owner
            self.model = model
            writing = WritingBatch(block: block, decoder: CachedDecoder(model)) { [model] in try? model.predict($0) }
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
