import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Models
import ONNXFormat

/// A saved model as an ONNX graph (opset 17), for onnxruntime, Netron and every other runtime:
/// the preprocessing inside (a table's or a sequence's columns standardised on the training
/// split's μ and σ, so the input is in the data's own units; a text's or a GPT's input is its
/// token ids), the layers in ONNX's operators, and the head Descent folds into its loss applied:
///
///     dense          MatMul, Add, the activation
///     conv2d         Transpose NHWC → NCHW, Conv (kernel (kh·kw·C, F) → [F, C, kh, kw]), back
///                    to NHWC before Flatten (Descent flattens channels-last)
///     maxpool        MaxPool
///     embedding      Gather; a masked average: Σ m·x / max(Σ m, 1), m = ids ≠ 0
///     simpleRNN      RNN (time-major: onnxruntime refuses layout 1; W = wᵀ, R = rᵀ, B = [b, 0]),
///                    its last state
///     GPT            Gather for tokens, + positions, LayerNormalization, MatMul, Split, Reshape,
///                    Transpose, scaled scores + the causal mask (−∞ above the diagonal),
///                    Softmax, residual Add, GELU as x · ½ (1 + Erf(x / √2))
///
/// Outputs: `probabilities` (a classifier's, or a GPT's per position), `score` (a margin
/// classifier's), `value` (regression, in the target's units). Metadata: the class names, the
/// vocabulary, the input's columns, as JSON texts.
enum ONNXExport {
    static func model(_ file: ModelFile, name: String) throws(DescentError) -> [UInt8] {
        let saved = file.model
        var unused = SeededGenerator(seed: 0)
        let model: Sequential
        do { model = try Sequential(saved.architecture, rng: &unused) } catch { throw DescentError("export onnx: \(error)") }
        var g = ONNXGraph()
        var builder = Builder(graph: g, weights: file.weights)
        let inputShape = saved.architecture.inputShape
        let batch = ONNXGraph.Dimension.named("batch")
        var x: String
        var ids: String?
        switch saved.preprocessing.schema.form {
        case .text, .symbols:
            builder.graph.input("ids", .int64, [batch] + inputShape.map { .fixed($0) })
            x = "ids"
            ids = "ids"
        case .columns, .values:
            builder.graph.input("input", .float, [batch] + inputShape.map { .fixed($0) })
            x = "input"
            let means = saved.preprocessing.means, deviations = saved.preprocessing.deviations
            if means.contains(where: { $0 != 0 }) || deviations.contains(where: { $0 != 1 }) {
                x = builder.graph.op("Sub", [x, builder.graph.constant(means, dims: inputShape)])
                x = builder.graph.op("Div", [x, builder.graph.constant(deviations, dims: inputShape)])
            }
        }
        var nchw = false
        var mask: String?
        for (k, config) in saved.architecture.layers.enumerated() {
            let layer = model.names[k]
            let input = k == 0 ? inputShape : model.outputShapes[k - 1]
            let isLast = k == saved.architecture.layers.count - 1
            switch config {
            // The last layer's activation is the head Descent folds into its loss: applied once, below.
            case let .dense(_, activation):
                x = try builder.linear(x, layer)
                x = builder.activate(x, isLast && activation == saved.foldedHead ? .linear : activation)
            case .activation(let activation):
                if !(isLast && activation == saved.foldedHead) { x = builder.activate(x, activation) }
            case .dropout:
                break
            case let .conv2d(filters, kernel, stride, padding, activation):
                if !nchw {
                    x = builder.graph.op("Transpose", [x], [.ints("perm", [0, 3, 1, 2])])
                    nchw = true
                }
                let w = try builder.weight(layer + ".w")
                // Descent's kernel is (kh·kw·C, F), read as (kh, kw, C, F); ONNX wants [F, C, kh, kw].
                let (kh, kw, c, f) = (kernel[0], kernel[1], input[2], filters)
                var permuted = [Float](repeating: 0, count: w.count)
                for i in 0..<kh { for j in 0..<kw { for ch in 0..<c { for o in 0..<f {
                    permuted[((o * c + ch) * kh + i) * kw + j] = w.scalars[((i * kw + j) * c + ch) * f + o]
                } } } }
                let weights = builder.graph.constant(permuted, dims: [f, c, kh, kw])
                let bias = builder.graph.constant(try builder.weight(layer + ".b").scalars, dims: [f])
                x = builder.graph.op("Conv", [x, weights, bias], [.ints("kernel_shape", kernel), .ints("strides", stride),
                                                                  .string("auto_pad", padding == .same ? "SAME_UPPER" : "VALID")])
                x = builder.activate(x, activation)
            case let .maxPool2d(pool, stride):
                if !nchw {
                    x = builder.graph.op("Transpose", [x], [.ints("perm", [0, 3, 1, 2])])
                    nchw = true
                }
                x = builder.graph.op("MaxPool", [x], [.ints("kernel_shape", pool), .ints("strides", stride)])
            case .flatten:
                if nchw {
                    x = builder.graph.op("Transpose", [x], [.ints("perm", [0, 2, 3, 1])])
                    nchw = false
                }
                x = builder.graph.op("Flatten", [x], [.int("axis", 1)])
            case let .embedding(_, _, masksPadding):
                guard let tokens = ids else { throw DescentError("export onnx: \(layer) needs token ids") }
                x = builder.graph.op("Gather", [builder.graph.constant(try builder.weight(layer + ".w").scalars,
                                                                       dims: try builder.weight(layer + ".w").shape), tokens])
                if masksPadding {
                    let real = builder.graph.op("Not", [builder.graph.op("Equal", [tokens, builder.graph.integers([0], dims: [])])])
                    mask = builder.graph.op("Cast", [real], [.int("to", 1)])
                }
            case .globalAveragePooling1d(let masked):
                if masked, let m = mask {
                    let weighted = builder.graph.op("Mul", [x, builder.graph.op("Unsqueeze", [m, builder.graph.integers([2])])])
                    let sum = builder.graph.op("ReduceSum", [weighted, builder.graph.integers([1])], [.int("keepdims", 0)])
                    let count = builder.graph.op("ReduceSum", [m, builder.graph.integers([1])], [.int("keepdims", 1)])
                    x = builder.graph.op("Div", [sum, builder.graph.op("Max", [count, builder.graph.constant([1], dims: [])])])
                } else {
                    x = builder.graph.op("ReduceMean", [x], [.ints("axes", [1]), .int("keepdims", 0)])
                }
            case let .simpleRNN(units, returnSequences):
                let w = try builder.weight(layer + ".w"), r = try builder.weight(layer + ".r"), b = try builder.weight(layer + ".b")
                let inputs = w.shape[0]
                let wT = builder.graph.constant(Builder.transposed(w.scalars, rows: inputs, columns: units), dims: [1, units, inputs])
                let rT = builder.graph.constant(Builder.transposed(r.scalars, rows: units, columns: units), dims: [1, units, units])
                let bias = builder.graph.constant(b.scalars + [Float](repeating: 0, count: units), dims: [1, 2 * units])
                // Time-major (layout 0): onnxruntime refuses layout 1 ("Batchwise recurrent operations are not supported").
                let timeMajor = builder.graph.op("Transpose", [x], [.ints("perm", [1, 0, 2])])
                let outs = builder.graph.node("RNN", [timeMajor, wT, rT, bias], [.int("hidden_size", units)], outputs: 2)
                x = returnSequences
                    ? builder.graph.op("Transpose", [builder.graph.op("Squeeze", [outs[0], builder.graph.integers([1])])], [.ints("perm", [1, 0, 2])])
                    : builder.graph.op("Squeeze", [outs[1], builder.graph.integers([0])])
            case .tokenEmbedding:
                guard let tokens = ids else { throw DescentError("export onnx: \(layer) needs token ids") }
                let table = try builder.weight(layer + ".w"), positions = try builder.weight(layer + ".p")
                x = builder.graph.op("Gather", [builder.graph.constant(table.scalars, dims: table.shape), tokens])
                x = builder.graph.op("Add", [x, builder.graph.constant(positions.scalars, dims: positions.shape)])
            case .layerNorm:
                x = try builder.layerNorm(x, layer)
            case let .selfAttention(heads, causal):
                x = try builder.attention(x, layer, heads: heads, causal: causal, length: input[0], width: input[1])
            case let .transformerBlock(heads, causal), let .attentionBlock(heads, causal):
                let a = try builder.attention(try builder.layerNorm(x, layer + ".ln1"), layer + ".attn", heads: heads, causal: causal,
                                              length: input[0], width: input[1])
                x = builder.graph.op("Add", [x, a])
                guard case .transformerBlock = config else { break }
                var h = try builder.linear(try builder.layerNorm(x, layer + ".ln2"), layer + ".mlp.fc")
                h = builder.activate(h, .gelu)
                x = builder.graph.op("Add", [x, try builder.linear(h, layer + ".mlp.proj")])
            case .tokenHead:
                x = try builder.linear(x, layer, bias: false)
            }
        }
        if let head = saved.foldedHead { x = builder.activate(x, head) }
        let outputShape = model.outputShape
        let output: String
        let writes: Bool = if case .symbols = saved.preprocessing.schema.form { true } else { false }
        if saved.classNames != nil || writes {
            output = saved.loss == .hinge ? "score" : "probabilities"
        } else {
            output = "value"
            if let scaling = saved.preprocessing.targetScaling {
                x = builder.graph.op("Add", [builder.graph.op("Mul", [x, builder.graph.constant([scaling.deviation], dims: [])]),
                                             builder.graph.constant([scaling.mean], dims: [])])
            }
        }
        builder.graph.name(x, as: output)
        builder.graph.output(output, .float, [batch] + outputShape.map { .fixed($0) })
        g = builder.graph
        var metadata: [(String, String)] = [("descent_model", saved.setup.model?.description ?? ""),
                                            ("descent_data", saved.setup.data?.description ?? "")]
        func json(_ values: [String]) -> String { "[" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n") + "\"" }.joined(separator: ",") + "]" }
        if let classes = saved.classNames {
            metadata.append(("class_names", json(classes)))
            // One output for two classes: say which class it is about.
            if outputShape.last == 1, classes.count == 2 {
                metadata.append(("output", output == "score"
                    ? "score: above 0 means \(classes[1]), below 0 \(classes[0])"
                    : "probabilities: the probability of \(classes[1]) (of \(classes[0]) it is 1 minus this)"))
            }
        }
        switch saved.preprocessing.schema.form {
        case .columns(let columns): metadata.append(("input_columns", json(saved.preprocessing.featureNames.isEmpty
                                                                           ? columns.map(\.name) : saved.preprocessing.featureNames)))
        case let .text(vocabulary, _), let .symbols(vocabulary, _): metadata.append(("vocabulary", json(vocabulary)))
        case .values: break
        }
        return g.model(name: name, producerVersion: "1", metadata: metadata)
    }

    /// The graph with the model's weights at hand.
    struct Builder {
        var graph: ONNXGraph
        let weights: [String: Tensor]

        func weight(_ name: String) throws(DescentError) -> Tensor {
            guard let w = weights[name] else { throw DescentError("export onnx: the model has no tensor \(name)") }
            return w
        }

        static func transposed(_ values: [Float], rows: Int, columns: Int) -> [Float] {
            var out = [Float](repeating: 0, count: values.count)
            for i in 0..<rows { for j in 0..<columns { out[j * rows + i] = values[i * columns + j] } }
            return out
        }

        /// x · w (+ b), over the last axis.
        mutating func linear(_ x: String, _ layer: String, bias: Bool = true) throws(DescentError) -> String {
            let w = try weight(layer + ".w")
            var y = graph.op("MatMul", [x, graph.constant(w.scalars, dims: w.shape)])
            if bias {
                let b = try weight(layer + ".b")
                y = graph.op("Add", [y, graph.constant(b.scalars, dims: b.shape)])
            }
            return y
        }

        mutating func layerNorm(_ x: String, _ layer: String) throws(DescentError) -> String {
            let g = try weight(layer + ".g"), b = try weight(layer + ".b")
            return graph.op("LayerNormalization", [x, graph.constant(g.scalars, dims: g.shape), graph.constant(b.scalars, dims: b.shape)],
                            [.int("axis", -1), .float("epsilon", LayerNorm.epsilon)])
        }

        mutating func activate(_ x: String, _ activation: Activation) -> String {
            switch activation {
            case .linear: return x
            case .relu: return graph.op("Relu", [x])
            case .leakyrelu: return graph.op("LeakyRelu", [x], [.float("alpha", Activation.leakySlope)])
            case .tanh: return graph.op("Tanh", [x])
            case .sigmoid: return graph.op("Sigmoid", [x])
            case .softmax: return graph.op("Softmax", [x], [.int("axis", -1)])
            case .gelu:
                let scaled = graph.op("Div", [x, graph.constant([Float(2).squareRoot()], dims: [])])
                let erf = graph.op("Add", [graph.op("Erf", [scaled]), graph.constant([1], dims: [])])
                return graph.op("Mul", [graph.op("Mul", [x, erf]), graph.constant([0.5], dims: [])])
            }
        }

        /// Multi-head self-attention over (batch, length, width): one projection to queries,
        /// keys and values, heads, scaled scores, the causal mask, softmax, the output projection.
        mutating func attention(_ x: String, _ layer: String, heads: Int, causal: Bool, length: Int, width: Int) throws(DescentError) -> String {
            let d = width / heads
            let qkv = try linear(x, layer + ".qkv")
            let parts = graph.node("Split", [qkv, graph.integers([width, width, width])], [.int("axis", 2)], outputs: 3)
            let split = graph.integers([0, 0, heads, d])
            func perHead(_ v: String, _ perm: [Int]) -> String {
                graph.op("Transpose", [graph.op("Reshape", [v, split])], [.ints("perm", perm)])
            }
            let q = perHead(parts[0], [0, 2, 1, 3]), kT = perHead(parts[1], [0, 2, 3, 1]), v = perHead(parts[2], [0, 2, 1, 3])
            var scores = graph.op("Mul", [graph.op("MatMul", [q, kT]), graph.constant([1 / Float(d).squareRoot()], dims: [])])
            if causal {
                var above = [Float](repeating: 0, count: length * length)
                for t in 0..<length { for s in (t + 1)..<max(t + 1, length) { above[t * length + s] = -.infinity } }
                scores = graph.op("Add", [scores, graph.constant(above, dims: [length, length])])
            }
            let weights = graph.op("Softmax", [scores], [.int("axis", -1)])
            let mixed = graph.op("Transpose", [graph.op("MatMul", [weights, v])], [.ints("perm", [0, 2, 1, 3])])
            let joined = graph.op("Reshape", [mixed, graph.integers([0, 0, width])])
            return try linear(joined, layer + ".proj")
        }
    }
}
