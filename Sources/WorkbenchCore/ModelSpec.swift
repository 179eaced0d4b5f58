import NeuralEngine
import Datasets

/// One layer of a model definition, before it is built for a data set.
public enum LayerSpec: Equatable, Sendable {
    case dense(units: Int, activation: Activation)
    case dropout(Float)
    /// Turns each image or sequence into one row of numbers, for dense layers.
    case flatten
    /// A preset block built by `Presets`: the whole CNN, text classifier or RNN.
    case cnn(inputShape: [Int], classes: Int)
    case textClassifier(vocabulary: Int)
    case rnn(features: Int)
}

/// What `model …` said: a preset or explicit layers. The output layer of a preset depends on
/// the data (1 output for binary classes or regression, k for k classes; the input size of a
/// CNN; the vocabulary of a text classifier), so the layers are worked out when a run starts,
/// by `layers(for:dropout:)`.
public struct ModelSpec: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case linear, logistic, softmax, svm
        case mlp(hidden: [Int], activation: Activation)
        case layers([LayerSpec])
        case cnn, textcls, rnn
    }

    public var kind: Kind
    public static let presets = ["linear", "logistic", "softmax", "svm", "mlp", "cnn", "textcls", "rnn"]

    /// The layers for `data`, with `dropout` after each hidden dense layer, and the default loss.
    /// Dense models get a `Flatten` first when a sample is an image or a sequence.
    public func layers(for data: Dataset, dropout: Float?) throws(SessionError) -> (layers: [LayerSpec], loss: String) {
        let task = data.task
        switch (kind, data.kind) {
        case (.cnn, .image(let h, let w, let c)):
            guard let k = task.classCount, k >= 2 else { throw SessionError("model cnn classifies images; this data has no classes") }
            guard h >= 4, w >= 4 else { throw SessionError("model cnn needs images of at least 4×4 pixels; these are \(h)×\(w)") }
            return ([.cnn(inputShape: [h, w, c], classes: k)], "ce")
        case (.cnn, _):
            throw SessionError("model cnn needs images, e.g. `data digits`")
        case (.textcls, .tokens(let vocabulary, _)):
            guard task.classCount == 2 else { throw SessionError("model textcls tells two classes apart; this data has \(task.classCount.map(String.init) ?? "no") classes") }
            return ([.textClassifier(vocabulary: vocabulary.count)], "bce")
        case (.textcls, _):
            throw SessionError("model textcls needs text, e.g. `data reviews`")
        case (.rnn, .sequence(_, let features)):
            guard task.classCount == nil else { throw SessionError("model rnn predicts a number; this data has classes") }
            return ([.rnn(features: features)], "mse")
        case (.rnn, _):
            throw SessionError("model rnn needs sequences, e.g. `data sequence`")
        case (_, .tokens):
            throw SessionError("model \(description) would read word ids as numbers: for text try `model textcls`")
        case (_, .table):
            return try denseLayers(for: task, dropout: dropout)
        case (_, .image), (_, .sequence):
            let (layers, loss) = try denseLayers(for: task, dropout: dropout)
            return ([.flatten] + layers, loss)
        }
    }

    /// The layers of the dense models (presets and explicit layers) on rows of numbers.
    func denseLayers(for task: LearningTask, dropout: Float?) throws(SessionError) -> (layers: [LayerSpec], loss: String) {
        let classes = task.classCount
        func head() -> (LayerSpec, String) {
            switch classes {
            case nil: return (.dense(units: 1, activation: .linear), "mse")
            case 2?: return (.dense(units: 1, activation: .sigmoid), "bce")
            case let k?: return (.dense(units: k, activation: .softmax), "ce")
            }
        }
        switch kind {
        case .linear:
            guard classes == nil else {
                throw SessionError("model linear predicts a number, but this data has classes: try `model logistic` or `model softmax`")
            }
            return ([.dense(units: 1, activation: .linear)], "mse")
        case .logistic:
            guard classes != nil else {
                throw SessionError("model logistic needs classes, but this data is regression: try `model linear`")
            }
            let (h, loss) = head()
            return ([h], loss)
        case .softmax:
            guard let k = classes else {
                throw SessionError("model softmax needs classes, but this data is regression: try `model linear`")
            }
            return ([.dense(units: k, activation: .softmax)], "ce")
        case .svm:
            guard classes == 2 else {
                throw SessionError("model svm separates two classes; this data has \(classes.map(String.init) ?? "no") classes")
            }
            return ([.dense(units: 1, activation: .linear)], "hinge")
        case let .mlp(hidden, activation):
            var layers: [LayerSpec] = []
            for units in hidden {
                layers.append(.dense(units: units, activation: activation))
                if let p = dropout, p > 0 { layers.append(.dropout(p)) }
            }
            let (h, loss) = head()
            return (layers + [h], loss)
        case .layers(let explicit):
            var layers: [LayerSpec] = []
            for (i, layer) in explicit.enumerated() {
                layers.append(layer)
                if let p = dropout, p > 0, i < explicit.count - 1, case .dense = layer { layers.append(.dropout(p)) }
            }
            let loss: String
            switch explicit.last {
            case .dense(_, .sigmoid)?: loss = "bce"
            case .dense(_, .softmax)?: loss = "ce"
            case .dense(let units, _)? where classes != nil: loss = units == 1 ? "bce" : "ce"
            default: loss = "mse"
            }
            return (layers, loss)
        case .cnn, .textcls, .rnn:
            throw SessionError("model \(description) is not a dense model")
        }
    }

    /// Builds the engine's layers.
    public static func build(_ specs: [LayerSpec]) throws(ModelError) -> [any Layer] {
        var layers: [any Layer] = []
        for spec in specs {
            switch spec {
            case let .dense(units, activation): layers.append(try Dense(units: units, activation: activation))
            case .dropout(let p): layers.append(try Dropout(rate: p))
            case .flatten: layers.append(Flatten())
            case let .cnn(shape, classes): layers += try Presets.cnn(inputShape: shape, classes: classes)
            case .textClassifier(let vocabulary): layers += try Presets.textClassifier(vocabulary: vocabulary)
            case .rnn(let features): layers += try Presets.rnn(features: features)
            }
        }
        return layers
    }

    /// How the command language writes this model (`mlp 8,8 act=tanh`).
    public var description: String {
        switch kind {
        case .linear: return "linear"
        case .logistic: return "logistic"
        case .softmax: return "softmax"
        case .svm: return "svm"
        case .cnn: return "cnn"
        case .textcls: return "textcls"
        case .rnn: return "rnn"
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
