import TensorCore

/// The standard teaching models as layer lists, with the parameter counts Keras prints for them.
///
/// Each returns the layers as values: `Sequential(_:)` makes them, then build for the data's
/// per-sample shape. A final sigmoid/softmax is folded into the matching cross-entropy loss by
/// `Sequential.prepare(for:)` as usual.
public enum Presets {
    /// Conv2D(32, 3x3, relu) → MaxPool 2x2 → Flatten → Dense(classes, softmax).
    ///
    /// On 28×28×1 (MNIST) the shapes are (26, 26, 32), (13, 13, 32), 5408, classes and Keras
    /// counts 320 + 0 + 0 + 54,090 = 54,410 parameters for 10 classes. The same structure adapts
    /// to any image of at least 4×4 pixels: on 8×8×1 digits it becomes (6, 6, 32), (3, 3, 32),
    /// 288, 10 with 320 + 2,890 = 3,210 parameters. With C channels the convolution has
    /// 9·C·32 + 32 parameters. Throws unless `inputShape` is `[H, W, C]` with H, W ≥ 4 and
    /// `classes ≥ 2`.
    public static func cnn(inputShape: [Int], classes: Int) throws(ModelError) -> [LayerConfig] {
        guard inputShape.count == 3, inputShape[0] >= 4, inputShape[1] >= 4, inputShape[2] >= 1 else {
            throw .shapeMismatch(layer: "cnn preset", expected: "images (None, height ≥ 4, width ≥ 4, channels)",
                                 got: Tensor.describeBatched(inputShape))
        }
        guard classes >= 2 else {
            throw .invalidOption(field: "cnn classes", expected: "an integer ≥ 2", got: "\(classes)")
        }
        return [.conv2d(filters: 32, kernel: [3, 3], stride: [1, 1], padding: .valid, activation: .relu),
                .maxPool2d(pool: [2, 2], stride: [2, 2]),
                .flatten,
                .dense(units: classes, activation: .softmax)]
    }

    /// Embedding(vocabulary, 16) → GlobalAveragePooling1D (masked) → Dense(16, relu) →
    /// Dense(1, sigmoid), for binary classification of padded token sequences.
    ///
    /// Keras counts 16·vocabulary, 0, 16·16 + 16 = 272 and 16 + 1 = 17 parameters. The pooling
    /// averages over real tokens only: the embedding and the pooling share a `PaddingMask`
    /// (`Sequential` wires a masked pooling to the embedding before it).
    /// Train with binary cross-entropy (and Adam, as in the Keras tutorial).
    public static func textClassifier(vocabulary: Int, dimension: Int = 16) throws(ModelError) -> [LayerConfig] {
        [.embedding(vocabulary: vocabulary, dimension: dimension, masksPadding: true),
         .globalAveragePooling1d(masked: true),
         .dense(units: 16, activation: .relu),
         .dense(units: 1, activation: .sigmoid)]
    }

    /// SimpleRNN(32) → Dense(1) for sequence regression (input (None, steps, features)).
    ///
    /// Keras counts 32·(features + 32 + 1) and 33 parameters: 1,088 + 33 for one feature.
    /// `features` is checked here (≥ 1); the steps come from the data at build time.
    public static func rnn(features: Int, units: Int = 32) throws(ModelError) -> [LayerConfig] {
        guard features >= 1 else {
            throw .invalidOption(field: "rnn features", expected: "an integer ≥ 1", got: "\(features)")
        }
        return [.simpleRNN(units: units, returnSequences: false), .dense(units: 1, activation: .linear)]
    }

    /// A GPT: token and position embedding → `layers` pre-norm transformer blocks with causal
    /// attention → LayerNorm → a per-position head without bias (minGPT's `GPT`) → softmax at
    /// each position (folded into the cross-entropy loss for training, as for classifiers).
    ///
    /// The defaults are minGPT's "gpt-nano" (n_layer 3, n_head 3, n_embd 48). For vocabulary V
    /// and block B its parameters are V·d + B·d, 12d² + 13d per block (LN 2d, attention
    /// 3d² + 3d + d² + d, LN 2d, MLP 4d² + 4d + 4d² + d), 2d for the final norm and d·V in the
    /// head: for minGPT's sorting task (V = 3, B = 11) 85,584 + 144 = 85,728, where minGPT's
    /// demo prints "number of parameters: 0.09M" (it counts the transformer without the head).
    /// Throws unless the width is a multiple of the heads and every size is at least 1.
    ///
    /// `attentionOnly` leaves out every block's MLP (and its norm): 4d² + 6d parameters per block
    /// instead of 12d² + 13d, the attention-only transformers of the circuits papers.
    public static func gpt(vocabulary: Int, block: Int, layers: Int = 3, heads: Int = 3,
                           width: Int = 48, attentionOnly: Bool = false) throws(ModelError) -> [LayerConfig] {
        guard layers >= 1 else {
            throw .invalidOption(field: "gpt layers", expected: "an integer ≥ 1", got: "\(layers)")
        }
        guard heads >= 1, width >= heads, width % heads == 0 else {
            throw .invalidOption(field: "gpt width", expected: "a multiple of the \(heads) heads", got: "\(width)")
        }
        return [.tokenEmbedding(vocabulary: vocabulary, block: block, width: width)]
            + Array(repeating: attentionOnly ? .attentionBlock(heads: heads, causal: true) : .transformerBlock(heads: heads, causal: true),
                    count: layers)
            + [.layerNorm, .tokenHead(vocabulary: vocabulary), .activation(.softmax)]
    }
}
