import TensorCore

/// A stack of layers applied in order, like Keras' `Sequential`.
///
/// The model keeps every intermediate tensor between `forward` and `backward` (reused from
/// step to step), names its layers `dense1`, `dense2`, `tanh1` … for `watch` and summaries, and
/// can fold a final sigmoid or softmax into a cross-entropy loss (see `prepare(for:)`).
public final class Sequential {
    public let layers: [any Layer]
    /// Unique layer names: the type name in lower case plus a 1-based counter per type.
    public let names: [String]
    public private(set) var inputShape: [Int]?
    /// Per-sample output shape of each layer after `build`.
    public private(set) var outputShapes: [[Int]] = []
    /// The activation the loss took over, applied only by `predict`.
    public private(set) var foldedHead: Activation?
    private var trainingDepth: Int

    /// The layers `configs` describe, unbuilt; a masked pooling layer shares the padding mask of
    /// the nearest embedding before it that masks padding.
    public convenience init(_ configs: [LayerConfig]) throws(ModelError) {
        var layers: [any Layer] = []
        var mask: PaddingMask?
        for config in configs {
            if case .embedding(_, _, true) = config { mask = PaddingMask() }
            layers.append(try config.makeLayer(mask: mask))
        }
        try self.init(layers)
    }

    /// The model `architecture` describes, built for its input shape with weights from `rng`.
    public convenience init(_ architecture: ModelArchitecture, rng: inout SeededGenerator) throws(ModelError) {
        try self.init(architecture.layers)
        try build(inputShape: architecture.inputShape, rng: &rng)
    }

    /// What the model was built from (nil before `build`).
    public var architecture: ModelArchitecture? {
        inputShape.map { ModelArchitecture(inputShape: $0, layers: layers.map(\.config)) }
    }

    /// Box per intermediate tensor, so one can be read while the next is written.
    private final class Slot { var tensor = Tensor(shape: [0]) }
    private var activations: [Slot] = []
    private var gradients: [Slot] = []

    public init(_ layers: [any Layer]) throws(ModelError) {
        guard !layers.isEmpty else { throw .empty }
        self.layers = layers
        var counters: [String: Int] = [:]
        names = layers.map { layer in
            let base = layer.typeName.lowercased()
            counters[base, default: 0] += 1
            return "\(base)\(counters[base]!)"
        }
        trainingDepth = layers.count
        activations = (0...layers.count).map { _ in Slot() }
        gradients = (0...layers.count).map { _ in Slot() }
    }

    /// Initialises every layer for per-sample input `shape`; returns the output shape.
    @discardableResult
    public func build(inputShape shape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        var current = shape
        var shapes: [[Int]] = []
        try ModelLimits.checkSample(shape, at: "the input")
        for (name, layer) in zip(names, layers) {
            do {
                current = try layer.build(inputShape: current, rng: &rng)
            } catch let ModelError.shapeMismatch(_, expected, got) {
                throw .shapeMismatch(layer: "\(name) (\(layer.label))", expected: expected, got: got)
            }
            try ModelLimits.checkSample(current, at: "\(name) (\(layer.label))")
            shapes.append(current)
        }
        inputShape = shape
        outputShapes = shapes
        parameters = layers.flatMap(\.parameters)
        return current
    }

    /// Per-sample output shape (after build).
    public var outputShape: [Int] { outputShapes.last ?? [] }

    /// Every trainable parameter, layer by layer (collected once at build: the training loop
    /// reads this on every update and must not allocate).
    public private(set) var parameters: [Parameter] = []

    /// m·n·k of the largest matrix product in a training step on a batch of `batch`.
    /// Multiply-adds of one update on a batch of `batch`: the forward pass's, times 3 for the
    /// backward pass's two products per layer (an estimate: the first layer needs no dx).
    public func multiplyAddsPerUpdate(batch: Int) -> Int {
        3 * layers.reduce(0) { $0 + $1.multiplyAdds(batch: batch) }
    }

    public func largestProduct(batch: Int) -> Int {
        layers.map { $0.largestProduct(batch: batch) }.max() ?? 0
    }

    /// Total trainable scalars.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }

    /// Lets `loss` take over a final sigmoid/softmax: training then works on logits, which is
    /// what makes cross-entropy stable. Calling it again with another loss undoes the fold.
    public func prepare(for loss: any Loss) {
        foldHead(loss.foldedActivation)
    }

    /// Lets the final `head` activation be applied only by `predict` (nil: undo any fold), when
    /// the model ends with it; `prepare(for:)` with the loss's activation.
    public func foldHead(_ head: Activation?) {
        if let dense = layers.last as? Dense { dense.appliesActivation = true }
        trainingDepth = layers.count
        foldedHead = nil
        guard let head else { return }
        if let dense = layers.last as? Dense, dense.activation == head {
            dense.appliesActivation = false
            foldedHead = head
        } else if let last = layers.last as? ActivationLayer, last.activation == head {
            trainingDepth = layers.count - 1
            foldedHead = head
        }
    }

    /// The training output (logits when a head is folded) for a batch `x` of shape (n, …).
    /// Throws when x's per-sample shape is not the one the model was built for.
    public func forward(_ x: Tensor, training: Bool) throws(ModelError) -> Tensor {
        guard let expected = inputShape else { throw .notBuilt }
        guard x.shape.count == expected.count + 1, x.shape.dropFirst().elementsEqual(expected) else {
            throw .shapeMismatch(layer: "\(names[0]) (\(layers[0].label))",
                                 expected: Tensor.describeBatched(expected),
                                 got: Tensor.describeBatched(Array(x.shape.dropFirst())))
        }
        activations[0].tensor = x
        for i in 0..<trainingDepth {
            layers[i].forward(activations[i].tensor, into: &activations[i + 1].tensor, training: training)
        }
        return activations[trainingDepth].tensor
    }

    /// Layer `i`'s output in the last forward pass (empty before any, or for a layer the
    /// last pass stopped short of: a folded head).
    public func lastOutput(ofLayer i: Int) -> Tensor {
        i < trainingDepth ? activations[i + 1].tensor : Tensor(shape: [0])
    }

    /// Back-propagates dL/d(output of `forward`) through every layer, writing parameter gradients.
    public func backward(_ outputGradient: Tensor) {
        gradients[trainingDepth].tensor = outputGradient
        for i in stride(from: trainingDepth - 1, through: 0, by: -1) {
            layers[i].backward(activations[i].tensor, activations[i + 1].tensor,
                               gradients[i + 1].tensor, into: &gradients[i].tensor,
                               needsInputGradient: i > 0)
        }
        // Drop the references to the caller's batch and output gradient, so the caller can
        // overwrite its buffers in place next step instead of copying them (copy-on-write).
        activations[0].tensor = Sequential.released
        gradients[trainingDepth].tensor = Sequential.released
    }

    /// Drops the reference to the last forward pass's input (kept for `backward`), so the caller
    /// can overwrite its buffer in place instead of copying it: after a forward pass no backward
    /// pass follows (evaluation).
    public func releaseInput() { activations[0].tensor = Sequential.released }

    /// Stands in for a released input or output gradient (allocated once).
    private static let released = Tensor(shape: [0])

    /// The model's real output for `x` (probabilities when a head is folded), evaluation mode.
    public func predict(_ x: Tensor) throws(ModelError) -> Tensor {
        var y = try forward(x, training: false)
        let columns = y.shape.last ?? 1   // a sequence model's softmax is per position
        y.scalars.withUnsafeMutableBufferPointer { applyHead(to: $0, columns: columns) }
        return y
    }

    /// Applies the folded head (if any) to `outputs` of the last layer, rows of `columns`.
    public func applyHead(to outputs: UnsafeMutableBufferPointer<Float>, columns: Int) {
        foldedHead?.apply(outputs, columns: columns)
    }

    /// The parameter called `name` in layer `layer` (e.g. "dense1", "w").
    public func parameter(layer: String, name: String) -> Parameter? {
        guard let i = names.firstIndex(of: layer) else { return nil }
        return layers[i].parameters.first { $0.name == name }
    }
}
