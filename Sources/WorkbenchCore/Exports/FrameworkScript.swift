import TensorCore
import NeuralEngine
import Datasets
import Models

/// A model as the steps a framework script writes: each layer with the sizes a framework needs
/// (PyTorch's `Linear` wants its input width, for one), the last layer's folded activation
/// taken out (the script's model ends in logits, as Descent's trains, and applies the head to
/// compare predictions). `export keras` and `export pytorch` both write from this.
struct FrameworkScript {
    enum Step {
        case dense(name: String, inputs: Int, units: Int, activation: Activation)
        case activation(Activation)
        case dropout(rate: Float)
        case conv2d(name: String, channels: Int, filters: Int, kernel: (Int, Int), stride: (Int, Int),
                    padding: Padding, input: (Int, Int), activation: Activation)
        case maxPool2d(pool: (Int, Int), stride: (Int, Int))
        case flatten(fromImage: Bool)
        case embedding(name: String, vocabulary: Int, dimension: Int, masksPadding: Bool)
        case globalAveragePooling1d(masked: Bool)
        case simpleRNN(name: String, inputs: Int, units: Int, returnSequences: Bool)
    }

    var name: String
    var steps: [Step]
    var inputShape: [Int]
    /// Applied to the logits for predictions (softmax, sigmoid), nil when the model has none.
    var head: Activation?
    var loss: LossKind
    var optimizer: OptimizerConfig
    var regularizer: Regularizer?
    var batch: Int?
    var classes: [String]
    var isTokens: Bool
    /// Where the image layout starts (the first convolution), for PyTorch's NCHW.
    var usesImages: Bool { steps.contains { if case .conv2d = $0 { true } else if case .maxPool2d = $0 { true } else { false } } }

    init(name: String, file: ModelFile) throws(DescentError) {
        let saved = file.model
        var unused = SeededGenerator(seed: 0)
        let model: Sequential
        do { model = try Sequential(saved.architecture, rng: &unused) } catch { throw DescentError("export: \(error)") }
        self.name = name
        inputShape = saved.architecture.inputShape
        head = saved.foldedHead
        loss = saved.loss
        optimizer = saved.setup.optimizer
        regularizer = saved.setup.regularizer
        batch = saved.setup.batch.size
        classes = saved.preprocessing.classNames
        if case .text = saved.preprocessing.schema.form { isTokens = true } else { isTokens = false }
        var steps: [Step] = []
        var image = false
        for (k, config) in saved.architecture.layers.enumerated() {
            let input = k == 0 ? inputShape : model.outputShapes[k - 1]
            let layerName = model.names[k]
            let isLast = k == saved.architecture.layers.count - 1
            switch config {
            case let .dense(units, activation):
                let folded = isLast && activation == head
                steps.append(.dense(name: layerName, inputs: input.last ?? 0, units: units,
                                    activation: folded ? .linear : activation))
            case .activation(let activation):
                if !(isLast && activation == head) { steps.append(.activation(activation)) }
            case .dropout(let rate): steps.append(.dropout(rate: rate))
            case let .conv2d(filters, kernel, stride, padding, activation):
                steps.append(.conv2d(name: layerName, channels: input[2], filters: filters, kernel: (kernel[0], kernel[1]),
                                     stride: (stride[0], stride[1]), padding: padding, input: (input[0], input[1]),
                                     activation: activation))
                image = true
            case let .maxPool2d(pool, stride):
                steps.append(.maxPool2d(pool: (pool[0], pool[1]), stride: (stride[0], stride[1])))
                image = true
            case .flatten:
                steps.append(.flatten(fromImage: image))
                image = false
            case let .embedding(vocabulary, dimension, masksPadding):
                steps.append(.embedding(name: layerName, vocabulary: vocabulary, dimension: dimension, masksPadding: masksPadding))
            case .globalAveragePooling1d(let masked): steps.append(.globalAveragePooling1d(masked: masked))
            case let .simpleRNN(units, returnSequences):
                steps.append(.simpleRNN(name: layerName, inputs: input.last ?? 0, units: units, returnSequences: returnSequences))
            case .tokenEmbedding, .layerNorm, .selfAttention, .transformerBlock, .attentionBlock, .tokenHead:
                throw DescentError("export: scripts rebuild dense, convolution, embedding and recurrent layers; "
                                   + "\(layerName) (\(model.layers[k].label)) is a transformer layer, which they do not cover yet")
            }
        }
        self.steps = steps
    }

    /// The Python packages each script imports (safetensors reads the weights).
    static let kerasPackages = ["keras", "jax", "numpy", "safetensors"]
    static let pytorchPackages = ["torch", "numpy", "safetensors"]

    /// The script's header comment: what it is, what it needs and reads, how to run it.
    func preamble(framework: String, run: String, packages: [String], notes: [String]) -> String {
        var lines = [
            "# \(name).py: the Descent model \"\(name)\" rebuilt in \(framework).",
            "# Made by Descent's `export`. It reads \(name).safetensors (the weights, Descent's layout) and",
            "# \(name).csv (the data after Descent's preprocessing, with Descent's own outputs per row),",
            "# checks that this model's predictions match Descent's, then trains on.",
            "#",
            "# Needs: pip install \(packages.joined(separator: " "))",
            "# Run: \(run)",
        ]
        lines += notes.map { "# " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    static func pythonList(_ values: [Int]) -> String {
        values.count == 1 ? "(\(values[0]),)" : "(" + values.map(String.init).joined(separator: ", ") + ")"
    }

    static func pythonString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    /// The shared part that reads the CSV: features, targets, split and Descent's outputs.
    var dataReader: String {
        """
        def read_data(path):
            \"\"\"The exported data: features (after Descent's preprocessing), targets, split, Descent's outputs.\"\"\"
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            header, rows = rows[0], rows[1:]
            target = header.index("target")
            outputs = [i for i, h in enumerate(header) if h.startswith("descent_")]
            x = np.array([[float(v) for v in r[1:target]] for r in rows], dtype=np.float32).reshape((-1,) + INPUT_SHAPE)
            y = np.array([float(r[target]) for r in rows], dtype=np.float32)
            train = np.array([r[0] == "train" for r in rows])
            descent = np.array([[float(r[i]) for i in outputs] for r in rows], dtype=np.float32)
            return x, y, train, descent

        """
    }
}
