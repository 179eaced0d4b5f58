import NeuralEngine
import Models

/// `export keras`: Keras 3 (any backend; JAX by default). Layouts need no change: a Keras Dense
/// kernel is (in, out) as Descent stores it, a Conv2D kernel (kh, kw, C, F) is Descent's
/// (kh·kw·C, F) reshaped, images are channels-last in both.
extension FrameworkScript {
    var keras: String {
        var s = preamble(framework: "Keras 3", run: "KERAS_BACKEND=jax python \(name).py [--epochs N]", packages: Self.kerasPackages,
                         notes: ["The optimizer starts fresh (Keras keeps its own state); the weights go on from Descent's."])
        s += """
        import argparse
        import csv
        import os
        import sys

        os.environ.setdefault("KERAS_BACKEND", "jax")
        try:
            import numpy as np
            import keras
            from safetensors.numpy import load_file
        except ImportError as missing:
            sys.exit(f"{missing.name} is not installed: this script needs `pip install \(Self.kerasPackages.joined(separator: " "))`")

        HERE = os.path.dirname(os.path.abspath(__file__))
        INPUT_SHAPE = \(Self.pythonList(inputShape))


        """
        s += dataReader
        s += "\ndef build():\n"
        s += "    inputs = keras.Input(shape=INPUT_SHAPE\(isTokens ? ", dtype=\"int32\"" : ""))\n    x = inputs\n"
        for step in steps { s += kerasLines(step).map { "    " + $0 + "\n" }.joined() }
        s += "    return keras.Model(inputs, x)\n\n\n"
        s += "def load_weights(model, tensors):\n"
        s += "    \"\"\"Descent's tensors (dense1.w …) into the Keras layers of the same names.\"\"\"\n"
        var any = false
        for step in steps {
            switch step {
            case .dense(let n, _, _, _):
                s += "    model.get_layer(\"\(n)\").set_weights([tensors[\"\(n).w\"], tensors[\"\(n).b\"]])\n"; any = true
            case let .conv2d(n, c, f, kernel, _, _, _, _):
                s += "    model.get_layer(\"\(n)\").set_weights([tensors[\"\(n).w\"].reshape(\(kernel.0), \(kernel.1), \(c), \(f)), tensors[\"\(n).b\"]])\n"
                any = true
            case .embedding(let n, _, _, _):
                s += "    model.get_layer(\"\(n)\").set_weights([tensors[\"\(n).w\"]])\n"; any = true
            case .simpleRNN(let n, _, _, _):
                s += "    model.get_layer(\"\(n)\").set_weights([tensors[\"\(n).w\"], tensors[\"\(n).r\"], tensors[\"\(n).b\"]])\n"; any = true
            default: break
            }
        }
        if !any { s += "    pass\n" }
        s += "\n\n" + numpyHead + "\n\n"
        s += """
        def main():
            parser = argparse.ArgumentParser(description="Check the exported model against Descent, then train it on.")
            parser.add_argument("--epochs", type=int, default=10)
            args = parser.parse_args()
            x, y, train, descent = read_data(os.path.join(HERE, "\(name).csv"))
            \(isTokens ? "x = x.astype(\"int32\")" : "")
            model = build()
            load_weights(model, load_file(os.path.join(HERE, "\(name).safetensors")))
            predictions = head(np.asarray(model.predict(x, verbose=0)))
            gap = float(np.max(np.abs(predictions - descent) / np.maximum(1.0, np.abs(descent))))
            print(f"largest difference from Descent's outputs: {gap:.2e} over {len(x)} rows")
            if gap > 1e-5:
                sys.exit("the Keras model does not reproduce Descent's predictions")
            model.compile(optimizer=\(kerasOptimizer), loss=\(kerasLoss)\(kerasMetrics))
            model.fit(x[train], y[train], validation_data=(x[~train], y[~train]), epochs=args.epochs,
                      batch_size=\(batch.map(String.init) ?? "int(train.sum())"), verbose=2)


        if __name__ == "__main__":
            main()

        """
        return s
    }

    /// The numpy head applied to logits, so predictions compare with Descent's.
    var numpyHead: String {
        switch head {
        case .softmax?:
            "def head(z):\n    \"\"\"Softmax, which Descent folds into its loss while training.\"\"\"\n    e = np.exp(z - z.max(axis=-1, keepdims=True))\n    return e / e.sum(axis=-1, keepdims=True)"
        case .sigmoid?:
            "def head(z):\n    \"\"\"The sigmoid, which Descent folds into its loss while training.\"\"\"\n    return 1 / (1 + np.exp(-z))"
        default:
            "def head(z):\n    \"\"\"No head: the outputs are the model's own.\"\"\"\n    return z"
        }
    }

    private func kerasActivation(_ a: Activation) -> String {
        switch a {
        case .linear: "None"
        case .relu: "\"relu\""
        case .tanh: "\"tanh\""
        case .sigmoid: "\"sigmoid\""
        case .softmax: "\"softmax\""
        case .gelu: "\"gelu\""   // Keras 3's gelu is exact (erf) by default, as Descent's
        case .leakyrelu: "None"  // a LeakyReLU layer follows: the string form's slope is 0.2, Descent's 0.01
        }
    }

    private var kerasRegularizer: String {
        switch regularizer {
        case .l1(let s)?: ", kernel_regularizer=keras.regularizers.L1(\(s))"
        case .l2(let s)?: ", kernel_regularizer=keras.regularizers.L2(\(s))"
        case nil: ""
        }
    }

    private func kerasLines(_ step: Step) -> [String] {
        func leaky(_ a: Activation) -> [String] { a == .leakyrelu ? ["x = keras.layers.LeakyReLU(negative_slope=0.01)(x)"] : [] }
        switch step {
        case let .dense(n, _, units, a):
            return ["x = keras.layers.Dense(\(units), activation=\(kerasActivation(a)), name=\"\(n)\"\(kerasRegularizer))(x)"] + leaky(a)
        case .activation(let a):
            return a == .leakyrelu ? leaky(a) : ["x = keras.layers.Activation(\(kerasActivation(a)))(x)"]
        case .dropout(let rate): return ["x = keras.layers.Dropout(\(rate))(x)"]
        case let .conv2d(n, _, f, kernel, stride, padding, _, a):
            return ["x = keras.layers.Conv2D(\(f), (\(kernel.0), \(kernel.1)), strides=(\(stride.0), \(stride.1)), "
                    + "padding=\"\(padding.rawValue)\", activation=\(kerasActivation(a)), name=\"\(n)\"\(kerasRegularizer))(x)"] + leaky(a)
        case let .maxPool2d(pool, stride):
            return ["x = keras.layers.MaxPooling2D(pool_size=(\(pool.0), \(pool.1)), strides=(\(stride.0), \(stride.1)))(x)"]
        case .flatten: return ["x = keras.layers.Flatten()(x)"]
        case let .embedding(n, v, d, masks):
            return ["x = keras.layers.Embedding(\(v), \(d), mask_zero=\(masks ? "True" : "False"), name=\"\(n)\")(x)"]
        case .globalAveragePooling1d: return ["x = keras.layers.GlobalAveragePooling1D()(x)  # averages real tokens when masked"]
        case let .simpleRNN(n, _, units, sequences):
            return ["x = keras.layers.SimpleRNN(\(units), return_sequences=\(sequences ? "True" : "False"), name=\"\(n)\")(x)"]
        }
    }

    private var kerasOptimizer: String {
        switch optimizer {
        case .gd(let lr), .sgd(let lr): "keras.optimizers.SGD(learning_rate=\(lr))"
        case let .momentum(lr, m): "keras.optimizers.SGD(learning_rate=\(lr), momentum=\(m))"
        case let .nesterov(lr, m): "keras.optimizers.SGD(learning_rate=\(lr), momentum=\(m), nesterov=True)"
        case let .rmsprop(lr, rho, eps): "keras.optimizers.RMSprop(learning_rate=\(lr), rho=\(rho), epsilon=\(eps))"
        case let .adagrad(lr, eps): "keras.optimizers.Adagrad(learning_rate=\(lr), epsilon=\(eps), initial_accumulator_value=0.0)"
        case let .adam(lr, b1, b2, eps, _): "keras.optimizers.Adam(learning_rate=\(lr), beta_1=\(b1), beta_2=\(b2), epsilon=\(eps))"
        case let .adamw(lr, b1, b2, eps, decay):
            "keras.optimizers.AdamW(learning_rate=\(lr), weight_decay=\(decay), beta_1=\(b1), beta_2=\(b2), epsilon=\(eps))"
        }
    }

    private var kerasLoss: String {
        switch loss {
        case .ce: "keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
        case .bce: "keras.losses.BinaryCrossentropy(from_logits=True)"
        case .mse: "keras.losses.MeanSquaredError()"
        case .hinge: "keras.losses.Hinge()"
        }
    }

    private var kerasMetrics: String {
        switch loss {
        case .ce: ", metrics=[\"sparse_categorical_accuracy\"]"
        case .bce, .hinge: ", metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)]"
        case .mse: ""
        }
    }
}
