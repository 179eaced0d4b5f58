import TensorCore

/// One layer as a value: its family and every hyper-parameter, before it is built for an input
/// shape. A model is built from a list of these, and every built layer reports the one it was
/// made from (`Layer.config`), so a model can be written down, copied and rebuilt.
///
/// Sizes are written as `[height, width]` and `[y, x]` pairs so that the JSON form reads plainly.
public enum LayerConfig: Equatable, Sendable, Codable {
    case dense(units: Int, activation: Activation)
    case activation(Activation)
    case dropout(rate: Float)
    case conv2d(filters: Int, kernel: [Int], stride: [Int], padding: Padding, activation: Activation)
    case maxPool2d(pool: [Int], stride: [Int])
    case flatten
    /// `masksPadding`: id 0 is padding, and a following masked pooling averages real tokens only.
    case embedding(vocabulary: Int, dimension: Int, masksPadding: Bool)
    /// `masked`: average only the positions the nearest embedding before it marked as real.
    case globalAveragePooling1d(masked: Bool)
    case simpleRNN(units: Int, returnSequences: Bool)
    /// Token and learned position embedding (a GPT's first layer); id 0 is a token, not padding.
    case tokenEmbedding(vocabulary: Int, block: Int, width: Int)
    case layerNorm
    case selfAttention(heads: Int, causal: Bool)
    /// Pre-norm block: x + Attn(LN(x)), then x + MLP(LN(x)) with a 4x GELU MLP.
    case transformerBlock(heads: Int, causal: Bool)
    /// A transformer block without its MLP: x + Attn(LN(x)) (the attention-only models of
    /// "A Mathematical Framework for Transformer Circuits", Elhage et al., 2021).
    case attentionBlock(heads: Int, causal: Bool)
    /// Per-position logits over `vocabulary` tokens, without bias.
    case tokenHead(vocabulary: Int)

    /// The layer, unbuilt. `mask` is the padding mask of the nearest embedding before it, for a
    /// masked pooling layer (`Sequential` wires them).
    func makeLayer(mask: PaddingMask?) throws(ModelError) -> any Layer {
        switch self {
        case let .dense(units, activation):
            return try Dense(units: units, activation: activation)
        case .activation(let activation):
            return ActivationLayer(activation)
        case .dropout(let rate):
            return try Dropout(rate: rate)
        case let .conv2d(filters, kernel, stride, padding, activation):
            return try Conv2D(filters: filters, kernel: try Self.pair(kernel, "conv2d kernel"),
                              stride: try Self.pair(stride, "conv2d stride"), padding: padding, activation: activation)
        case let .maxPool2d(pool, stride):
            return try MaxPool2D(pool: try Self.pair(pool, "maxpool size"), stride: try Self.pair(stride, "maxpool stride"))
        case .flatten:
            return Flatten()
        case let .embedding(vocabulary, dimension, masksPadding):
            return try Embedding(vocabulary: vocabulary, dimension: dimension, mask: masksPadding ? mask : nil)
        case .globalAveragePooling1d(let masked):
            guard !masked || mask != nil else {
                throw .invalidOption(field: "masked pooling", expected: "an embedding that masks padding before it",
                                     got: "none")
            }
            return GlobalAveragePooling1D(mask: masked ? mask : nil)
        case let .simpleRNN(units, returnSequences):
            return try SimpleRNN(units: units, returnSequences: returnSequences)
        case let .tokenEmbedding(vocabulary, block, width):
            return try TokenEmbedding(vocabulary: vocabulary, block: block, width: width)
        case .layerNorm:
            return LayerNorm()
        case let .selfAttention(heads, causal):
            return try MultiHeadSelfAttention(heads: heads, causal: causal)
        case let .transformerBlock(heads, causal):
            return try TransformerBlock(heads: heads, causal: causal)
        case let .attentionBlock(heads, causal):
            return try TransformerBlock(heads: heads, causal: causal, mlp: false)
        case .tokenHead(let vocabulary):
            return try TokenHead(vocabulary: vocabulary)
        }
    }

    private static func pair(_ values: [Int], _ field: String) throws(ModelError) -> (Int, Int) {
        guard values.count == 2 else {
            throw .invalidOption(field: field, expected: "two sizes [height, width]", got: "\(values)")
        }
        return (values[0], values[1])
    }
}

/// A whole model as a value: the per-sample input shape and the layers in order. `Sequential`
/// is built from one and reports the one it was built from; round-tripped through JSON for
/// saved models.
public struct ModelArchitecture: Equatable, Sendable, Codable {
    /// The shape of one sample (no batch dimension): `[2]` for 2-D points, `[8, 8, 1]` for digits.
    public var inputShape: [Int]
    public var layers: [LayerConfig]

    public init(inputShape: [Int], layers: [LayerConfig]) {
        self.inputShape = inputShape
        self.layers = layers
    }
}
