import TensorCore

/// Which positions of a token batch hold a real token (id ≠ 0) rather than padding.
///
/// An `Embedding` built with a mask writes it on every forward pass, `m[i, t] = [id(i, t) ≠ 0]`;
/// a `GlobalAveragePooling1D` holding the same mask reads it to average over real tokens only.
/// Sharing one object keeps the `Layer` contract (one input tensor, one output tensor) unchanged;
/// `Presets.textClassifier` wires the pair. Written by the forward, read by the next layer's
/// forward and backward of the same batch.
public final class PaddingMask {
    /// `[n, T]`: 1 for a real token, 0 for padding.
    public internal(set) var valid = Tensor(shape: [0, 0])
    public init() {}
}

/// A lookup table of one trainable vector per token id (Keras' `Embedding`).
///
///     shapes    x: (n, T) token ids stored as Float   E: (V, D)   y: (n, T, D)
///     forward   y[i, t] = E[x[i, t]]
///     backward  dE[v] = Σ_{(i, t): x[i, t] = v} dy[i, t]   for v ≠ 0;   dE[0] = 0
///               no dx: ids are not differentiable (dx is zero-filled when asked for)
///
/// The gradient is a dense (V, D) tensor, cleared whole each step: a memset of the table and one
/// streaming pass for the gradient norm beat tracking the ~2,700 rows a W4 batch touches and
/// clearing and summing only those (Docs/performance.md).
///
/// Id 0 is padding: its row starts at zero and never gets a gradient, so it stays zero and a
/// padded position embeds to the zero vector. Id 1 is the tokenizer's out-of-vocabulary id, an
/// ordinary trainable row. Ids must be integers in 0..<V: the data loader (the tokenizer) builds
/// them so; `forward` checks each with a precondition rather than clamping, because by then a
/// wrong id is a bug, not a data error. Initialisation: uniform in [−0.05, 0.05] (Keras' default).
public final class Embedding: Layer {
    public let vocabulary: Int
    public let dimension: Int
    public let weight: Parameter
    /// Written on every forward when present (see `PaddingMask`).
    public let mask: PaddingMask?
    public private(set) var length = 0

    public var typeName: String { "Embedding" }
    public var label: String { "Embedding \(vocabulary)→\(dimension)" }
    public var parameters: [Parameter] { [weight] }
    public var config: LayerConfig { .embedding(vocabulary: vocabulary, dimension: dimension, masksPadding: mask != nil) }

    /// A table of `vocabulary` vectors of `dimension` values. Throws when a size is below 1
    /// (the vocabulary needs at least the padding id and one more).
    public init(vocabulary: Int, dimension: Int, mask: PaddingMask? = nil) throws(ModelError) {
        guard vocabulary >= 2 else {
            throw .invalidOption(field: "embedding vocabulary", expected: "an integer ≥ 2", got: "\(vocabulary)")
        }
        guard dimension >= 1 else {
            throw .invalidOption(field: "embedding dimension", expected: "an integer ≥ 1", got: "\(dimension)")
        }
        try ModelLimits.checkTensor("Embedding \(vocabulary)→\(dimension)", [vocabulary, dimension])
        self.vocabulary = vocabulary
        self.dimension = dimension
        self.mask = mask
        weight = Parameter(name: "w", value: Tensor(shape: [vocabulary, dimension]), isRegularized: true)
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 1, inputShape[0] >= 1 else {
            throw .shapeMismatch(layer: label, expected: "(None, length) of token ids",
                                 got: Tensor.describeBatched(inputShape))
        }
        length = inputShape[0]
        var e = Tensor(shape: [vocabulary, dimension])
        for i in dimension..<e.count { e.scalars[i] = rng.uniform(-0.05, 0.05) }
        weight.value = e
        weight.gradient = Tensor(shape: e.shape)
        return [length, dimension]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let d = dimension, v = vocabulary, n = x.rows
        if !(y.rank == 3 && y.shape[0] == n && y.shape[1] == length && y.shape[2] == d) {
            y.resize(n, length, d)
        }
        if let mask, !(mask.valid.rank == 2 && mask.valid.shape[0] == n && mask.valid.shape[1] == length) {
            mask.valid.resize(n, length)
        }
        x.scalars.withUnsafeBufferPointer { ids in
            weight.value.scalars.withUnsafeBufferPointer { e in
                y.scalars.withUnsafeMutableBufferPointer { yb in
                    guard let ep = e.baseAddress, var row = yb.baseAddress else { return }
                    for p in 0..<ids.count {
                        let id = Int(ids[p])
                        precondition(id >= 0 && id < v && Float(id) == ids[p],
                                     "embedding: token id \(ids[p]) outside 0..<\(v)")
                        Kernels.copy(ep + id * d, into: row, count: d)
                        row += d
                    }
                }
            }
            if let mask {
                mask.valid.scalars.withUnsafeMutableBufferPointer { m in
                    for p in 0..<ids.count { m[p] = ids[p] == 0 ? 0 : 1 }
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        let d = dimension
        weight.gradient.fill(0)
        x.scalars.withUnsafeBufferPointer { ids in
            dy.scalars.withUnsafeBufferPointer { g in
                weight.gradient.scalars.withUnsafeMutableBufferPointer { de in
                    guard let gp = g.baseAddress, let dep = de.baseAddress else { return }
                    for p in 0..<ids.count {
                        let id = Int(ids[p])
                        if id == 0 { continue }
                        Kernels.add(gp + p * d, into: dep + id * d, count: d)
                    }
                }
            }
        }
        if needsInputGradient {
            dx.resize(to: x.shape)
            dx.fill(0)
        }
    }
}
