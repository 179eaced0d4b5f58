import TensorCore

/// The model's parameters by name, `dense1.w`, `dense1.b`, `conv2d1.k` …: the layer's name in
/// `names` and the parameter's own short name, as `watch` writes them. What saving, loading and
/// test fixtures read and write, as flat Float32 arrays in row-major order.
extension Sequential {
    /// Every parameter with its full name, in `parameters` order (after `build`).
    public var namedParameters: [(name: String, parameter: Parameter)] {
        zip(names, layers).flatMap { layerName, layer in
            layer.parameters.map { ("\(layerName).\($0.name)", $0) }
        }
    }

    /// The values of every parameter, by full name.
    public var parameterValues: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedParameters.map { ($0.name, $0.parameter.value) })
    }

    /// Overwrites every parameter with the tensor of the same name. Checks first that `values`
    /// names exactly this model's parameters, each with its shape and only finite numbers; on
    /// any mismatch it throws (naming the parameter) and changes nothing.
    public func setParameterValues(_ values: [String: Tensor]) throws(ModelError) {
        let named = namedParameters
        let expected = Set(named.map(\.name))
        if let unknown = values.keys.sorted().first(where: { !expected.contains($0) }) {
            throw .invalidOption(field: unknown, expected: "one of " + named.map(\.name).joined(separator: ", "),
                                 got: "a parameter this model does not have")
        }
        for (name, parameter) in named {
            guard let value = values[name] else {
                throw .invalidOption(field: name, expected: "a value for every parameter", got: "none")
            }
            guard value.shape == parameter.value.shape else {
                throw .invalidOption(field: name, expected: "shape \(Tensor.describe(parameter.value.shape))",
                                     got: Tensor.describe(value.shape))
            }
            guard value.isFinite else {
                throw .invalidOption(field: name, expected: "finite numbers", got: "NaN or infinity")
            }
        }
        for (name, parameter) in named { parameter.value.assign(values[name]!) }
    }
}
