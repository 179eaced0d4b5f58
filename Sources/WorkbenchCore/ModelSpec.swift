import NeuralEngine
import Datasets

/// One layer of a model definition, before it is built for a data set.
public enum LayerSpec: Equatable, Sendable {
    case dense(units: Int, activation: Activation)
    case dropout(Float)
}

/// What `model …` said: a preset or explicit layers. The output layer of a preset depends on
/// the data (1 output for binary classes or regression, k for k classes), so the layers are
/// worked out when a run starts, by `layers(for:)`.
public struct ModelSpec: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case linear, logistic, softmax, svm
        case mlp(hidden: [Int], activation: Activation)
        case layers([LayerSpec])
    }

    public var kind: Kind
    public static let presets = ["linear", "logistic", "softmax", "svm", "mlp"]

    /// The layers for `task`, with `dropout` after each hidden layer, and the default loss.
    public func layers(for task: LearningTask, dropout: Float?) throws(SessionError) -> (layers: [LayerSpec], loss: String) {
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
        }
    }

    /// Builds the engine's layers.
    public static func build(_ specs: [LayerSpec]) throws(ModelError) -> [any Layer] {
        var layers: [any Layer] = []
        for spec in specs {
            switch spec {
            case let .dense(units, activation): layers.append(try Dense(units: units, activation: activation))
            case .dropout(let p): layers.append(try Dropout(rate: p))
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
        case let .mlp(hidden, activation):
            return "mlp " + hidden.map(String.init).joined(separator: ",") + " act=\(activation.rawValue)"
        case .layers(let layers):
            return layers.map { spec -> String in
                switch spec {
                case let .dense(units, activation):
                    return "dense \(units)" + (activation == .linear ? "" : " \(activation.rawValue)")
                case .dropout(let p): return "dropout \(fmt(p))"
                }
            }.joined(separator: " | ")
        }
    }
}
