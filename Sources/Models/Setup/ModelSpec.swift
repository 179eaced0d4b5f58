import NeuralEngine
import Datasets

/// What `model …` said: a preset or explicit layers. The output layer of a preset depends on
/// the data (1 output for binary classes or regression, k for k classes; the input size of a
/// CNN; the vocabulary of a text classifier), so the layers are worked out when a run starts,
/// by `layers(for:dropout:)`, with the loss that suits them.
public struct ModelSpec: Equatable, Sendable, Codable {
    public enum Kind: Equatable, Sendable, Codable {
        case linear, logistic, softmax, svm
        case mlp(hidden: [Int], activation: Activation)
        /// `model dense 8 tanh | dropout 0.2 | dense 1 sigmoid`: dense and dropout layers.
        case layers([LayerConfig])
        case cnn, textcls, rnn
        /// A GPT of `layers` blocks with `heads` heads, `width` wide (minGPT's gpt-nano: 3, 3, 48).
        case gpt(layers: Int, heads: Int, width: Int)
        /// `model gpt attention-only`: the same without the blocks' MLPs.
        case attentionOnlyGPT(layers: Int, heads: Int, width: Int)
    }

    public var kind: Kind
    /// `init=S`: the initial weights are S times the usual ones (He for the ReLU family, Glorot
    /// otherwise); nil is 1. Large values saturate tanh and sigmoid units from the start.
    public var initScale: Float?

    public init(kind: Kind, initScale: Float? = nil) {
        self.kind = kind
        self.initScale = initScale
    }

    public static let presets = ["linear", "logistic", "softmax", "svm", "mlp", "cnn", "textcls", "rnn", "gpt"]

    /// The layers for `data`, with `dropout` after each hidden dense layer, and the default loss.
    /// Dense models get a `Flatten` first when a sample is an image or a sequence.
    public func layers(for data: Dataset, dropout: Float?) throws(DescentError) -> (layers: [LayerConfig], loss: LossKind) {
        let task = data.task
        switch (kind, data.kind) {
        case (.cnn, .image(let h, let w, let c)):
            guard let k = task.classCount, k >= 2 else { throw DescentError("model cnn classifies images; this data has no classes") }
            guard h >= 4, w >= 4 else { throw DescentError("model cnn needs images of at least 4×4 pixels; these are \(h)×\(w)") }
            return (try Self.preset { () throws(ModelError) in try Presets.cnn(inputShape: [h, w, c], classes: k) }, .ce)
        case (.cnn, _):
            throw DescentError("model cnn needs images, e.g. `data digits`")
        case (.textcls, .tokens(let vocabulary, _)):
            guard task.classCount == 2 else { throw DescentError("model textcls tells two classes apart; this data has \(task.classCount.map(String.init) ?? "no") classes") }
            return (try Self.preset { () throws(ModelError) in try Presets.textClassifier(vocabulary: vocabulary.count) }, .bce)
        case (.textcls, _):
            throw DescentError("model textcls needs text, e.g. `data reviews`")
        case (.rnn, .sequence(_, let features)):
            guard task.classCount == nil else { throw DescentError("model rnn predicts a number; this data has classes") }
            return (try Self.preset { () throws(ModelError) in try Presets.rnn(features: features) }, .mse)
        case (.rnn, _):
            throw DescentError("model rnn needs sequences, e.g. `data sequence`")
        case let (.gpt(layers, heads, width), .symbols(vocabulary, length, _)),
             let (.attentionOnlyGPT(layers, heads, width), .symbols(vocabulary, length, _)):
            let attentionOnly = if case .attentionOnlyGPT = kind { true } else { false }
            return (try Self.preset { () throws(ModelError) in
                try Presets.gpt(vocabulary: vocabulary.count, block: length, layers: layers, heads: heads, width: width,
                                attentionOnly: attentionOnly)
            }, .ce)
        case (.gpt, _), (.attentionOnlyGPT, _):
            throw DescentError("model gpt needs sequences of symbols, e.g. `data sort`")
        case (_, .symbols):
            throw DescentError("model \(description) would read symbols as numbers: for sequences of symbols try `model gpt`")
        case (_, .tokens):
            throw DescentError("model \(description) would read word ids as numbers: for text try `model textcls`")
        case (_, .table):
            return try denseLayers(for: task, dropout: dropout)
        case (_, .image), (_, .sequence):
            let (layers, loss) = try denseLayers(for: task, dropout: dropout)
            return ([.flatten] + layers, loss)
        }
    }

    /// The layers of the dense models (presets and explicit layers) on rows of numbers.
    func denseLayers(for task: LearningTask, dropout: Float?) throws(DescentError) -> (layers: [LayerConfig], loss: LossKind) {
        let classes = task.classCount
        func head() -> (LayerConfig, LossKind) {
            switch classes {
            case nil: return (.dense(units: 1, activation: .linear), .mse)
            case 2?: return (.dense(units: 1, activation: .sigmoid), .bce)
            case let k?: return (.dense(units: k, activation: .softmax), .ce)
            }
        }
        switch kind {
        case .linear:
            guard classes == nil else {
                throw DescentError("model linear predicts a number, but this data has classes: try `model logistic` or `model softmax`")
            }
            return ([.dense(units: 1, activation: .linear)], .mse)
        case .logistic:
            guard classes != nil else {
                throw DescentError("model logistic needs classes, but this data is regression: try `model linear`")
            }
            let (h, loss) = head()
            return ([h], loss)
        case .softmax:
            guard let k = classes else {
                throw DescentError("model softmax needs classes, but this data is regression: try `model linear`")
            }
            return ([.dense(units: k, activation: .softmax)], .ce)
        case .svm:
            guard classes == 2 else {
                throw DescentError("model svm separates two classes; this data has \(classes.map(String.init) ?? "no") classes")
            }
            return ([.dense(units: 1, activation: .linear)], .hinge)
        case let .mlp(hidden, activation):
            var layers: [LayerConfig] = []
            for units in hidden {
                layers.append(.dense(units: units, activation: activation))
                if let p = dropout, p > 0 { layers.append(.dropout(rate: p)) }
            }
            let (h, loss) = head()
            return (layers + [h], loss)
        case .layers(let explicit):
            var layers: [LayerConfig] = []
            for (i, layer) in explicit.enumerated() {
                layers.append(layer)
                if let p = dropout, p > 0, i < explicit.count - 1, case .dense = layer { layers.append(.dropout(rate: p)) }
            }
            let loss: LossKind
            switch explicit.last {
            case .dense(_, .sigmoid)?: loss = .bce
            case .dense(_, .softmax)?: loss = .ce
            case .dense(let units, _)? where classes != nil: loss = units == 1 ? .bce : .ce
            default: loss = .mse
            }
            return (layers, loss)
        case .cnn, .textcls, .rnn, .gpt, .attentionOnlyGPT:
            throw DescentError("model \(description) is not a dense model")
        }
    }

    /// A preset's layers; its own checks (sizes) become the session's errors.
    private static func preset(_ make: () throws(ModelError) -> [LayerConfig]) throws(DescentError) -> [LayerConfig] {
        do { return try make() } catch { throw DescentError("model: \(error.description)") }
    }

    /// How the command language writes this model (`mlp 8,8 act=tanh`).
    public var description: String {
        kindDescription + (initScale.map { " init=\(fmt($0))" } ?? "")
    }

    private var kindDescription: String {
        switch kind {
        case .linear: return "linear"
        case .logistic: return "logistic"
        case .softmax: return "softmax"
        case .svm: return "svm"
        case .cnn: return "cnn"
        case .textcls: return "textcls"
        case .rnn: return "rnn"
        case let .gpt(layers, heads, width): return "gpt layers=\(layers) heads=\(heads) width=\(width)"
        case let .attentionOnlyGPT(layers, heads, width): return "gpt attention-only layers=\(layers) heads=\(heads) width=\(width)"
        case let .mlp(hidden, activation):
            return "mlp " + hidden.map(String.init).joined(separator: ",") + " act=\(activation.rawValue)"
        case .layers(let layers):
            return layers.compactMap { spec -> String? in
                switch spec {
                case let .dense(units, activation):
                    return "dense \(units)" + (activation == .linear ? "" : " \(activation.rawValue)")
                case .dropout(let p): return "dropout \(fmt(p))"
                default: return nil
                }
            }.joined(separator: " | ")
        }
    }
}
