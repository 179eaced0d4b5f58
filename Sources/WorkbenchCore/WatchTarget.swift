import CommandLanguage
import NeuralEngine
import Models

/// The scalar `step` explains, written `dense1.w[4,1]`: layer name, parameter, and its row and
/// column counted from 1 as everything a learner types is (`Help.countingRule`): `dense1.w[1,1]`
/// is the first weight. An index with a 0 in it was counted from 0 (numpy's way) and is read so.
public struct WatchTarget: Equatable, Sendable, CustomStringConvertible {
    public var layer: String
    public var parameter: String
    /// The position in the parameter's tensor, from 0 (as the engine indexes it).
    public var index: [Int]
    /// The learner wrote the index counting from 0 (it had a 0 in it).
    public var countedFromZero = false

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
            let fromZero = numbers.contains(0)
            countedFromZero = fromZero
            index = numbers.map { $0! - (fromZero ? 0 : 1) }
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

    /// `dense1.w[4,1]`, counted from 1.
    public var description: String {
        "\(layer).\(parameter)" + (index.isEmpty ? "" : Self.indexText(index))
    }

    /// `[4,1]` for the position `[3,0]` of a tensor: rows and columns counted from 1.
    public static func indexText(_ index: [Int]) -> String {
        "[" + index.map { String($0 + 1) }.joined(separator: ",") + "]"
    }

    /// What was read when the learner counted from 0, for a note; nil when they counted from 1.
    public var countingNote: String? {
        guard countedFromZero else { return nil }
        return "(read as counting from 0; Descent counts from 1, so this is \(description))"
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
                               + "[" + shape.map(String.init).joined(separator: ",") + "]: rows and columns from 1 to "
                               + Self.indexText(shape.map { $0 - 1 }) + "; " + Self.indexText(idx) + " is outside it")
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
