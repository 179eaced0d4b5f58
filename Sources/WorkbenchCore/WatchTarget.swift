import CommandLanguage
import NeuralEngine
import Models

/// The scalar `step` explains, written `dense1.w[3,0]`: layer name, parameter, index.
public struct WatchTarget: Equatable, Sendable, CustomStringConvertible {
    public var layer: String
    public var parameter: String
    public var index: [Int]

    /// Parses `layer.param[i,j]` (the index may be omitted for the first element).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        layer = parts[0]
        var rest = parts[1]
        index = []
        if let open = rest.firstIndex(of: "[") {
            guard rest.hasSuffix("]") else { return nil }
            let inner = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            let numbers = inner.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
            guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
            index = numbers.map { $0! }
            rest = String(rest[..<open])
        }
        guard !rest.isEmpty else { return nil }
        parameter = rest
    }

    public init(layer: String, parameter: String, index: [Int]) {
        self.layer = layer
        self.parameter = parameter
        self.index = index
    }

    public var description: String {
        "\(layer).\(parameter)" + (index.isEmpty ? "" : "[" + index.map(String.init).joined(separator: ",") + "]")
    }

    /// The position in `model.parameters` and the flat element, or an error naming what exists.
    public func resolve(in model: Sequential) throws(DescentError) -> (parameter: Int, element: Int) {
        guard let layerIndex = model.names.firstIndex(of: layer) else {
            let names = zip(model.names, model.layers).filter { !$0.1.parameters.isEmpty }.map(\.0)
            throw DescentError("watch: no layer \(excerpt(layer)); layers with parameters: \(names.joined(separator: ", "))")
        }
        let params = model.layers[layerIndex].parameters
        guard let p = params.firstIndex(where: { $0.name == parameter }) else {
            throw DescentError("watch: \(layer) has no parameter \(excerpt(parameter)); it has "
                               + (params.isEmpty ? "none" : params.map(\.name).joined(separator: ", ")))
        }
        let shape = params[p].value.shape
        let idx = index.isEmpty ? Array(repeating: 0, count: shape.count) : index
        guard idx.count == shape.count, zip(idx, shape).allSatisfy({ $0 < $1 }) else {
            throw DescentError("watch: \(layer).\(parameter) has shape "
                               + "[" + shape.map(String.init).joined(separator: ",") + "]; index "
                               + "[" + idx.map(String.init).joined(separator: ",") + "] is outside it")
        }
        let flat = params[p].value.offset(of: idx)
        let before = model.layers[..<layerIndex].reduce(0) { $0 + $1.parameters.count }
        return (before + p, flat)
    }

    /// The first weight of the first layer with parameters.
    public static func firstWeight(of model: Sequential) -> WatchTarget? {
        for (name, layer) in zip(model.names, model.layers) {
            if let p = layer.parameters.first {
                return WatchTarget(layer: name, parameter: p.name, index: p.value.shape.map { _ in 0 })
            }
        }
        return nil
    }
}
