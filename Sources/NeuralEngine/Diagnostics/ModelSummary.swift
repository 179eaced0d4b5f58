import Foundation
import TensorCore

/// A model summary like Keras' `summary()`: per layer its name, output shape and parameter
/// count, plus live weight and gradient norms ‖W‖₂ and ‖∇W‖₂ over the layer's parameters.
public struct ModelSummary: Equatable, Sendable, Codable {
    public struct Row: Equatable, Sendable, Codable {
        public var name: String
        public var label: String
        public var outputShape: String
        public var parameters: Int
        public var weightNorm: Float
        public var gradientNorm: Float
    }

    public var rows: [Row]
    public var totalParameters: Int

    public init(_ model: Sequential) {
        rows = zip(model.names, model.layers).enumerated().map { i, pair in
            let (name, layer) = pair
            let shape = i < model.outputShapes.count ? Tensor.describeBatched(model.outputShapes[i]) : "?"
            let params = layer.parameters
            func norm(_ values: [Float]) -> Float { values.map { $0 * $0 }.reduce(0, +).squareRoot() }
            return Row(name: name, label: layer.label, outputShape: shape,
                       parameters: layer.parameterCount,
                       weightNorm: norm(params.map { $0.value.l2Norm() }),
                       gradientNorm: norm(params.map { $0.gradient.l2Norm() }))
        }
        totalParameters = model.parameterCount
    }

    /// A plain-text table, e.g.
    ///
    ///     Layer (type)          Output Shape     Param #
    ///     dense1 (Dense 2→8 tanh)  (None, 8)     24
    public var text: String { text(width: .max) }

    /// The table within `width` characters where it can be: a narrow REPL loses the output
    /// shape first (the layer's label has its sizes: `Dense 4→16`), then the norms (`show
    /// layers` in a zoomed pane, or the model pane, has them).
    public func text(width: Int) -> String {
        let all = ["Layer (type)", "Output Shape", "Param #", "|W|", "|∇W|"]
        let cells = rows.map { r in
            ["\(r.name) (\(r.label))", r.outputShape, "\(r.parameters)",
             formatNorm(r.weightNorm), formatNorm(r.gradientNorm)]
        }
        func tableWidth(_ columns: [Int]) -> Int {
            columns.map { c in ([all] + cells).map { $0[c].count }.max()! }.reduce(0, +) + 2 * (columns.count - 1)
        }
        let columns = [[0, 1, 2, 3, 4], [0, 2, 3, 4], [0, 2]].first { tableWidth($0) <= width } ?? [0, 2]
        let header = columns.map { all[$0] }
        let body = cells.map { row in columns.map { row[$0] } }
        let widths = (0..<header.count).map { c in ([header] + body).map { $0[c].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, s in
                c == 0 ? s.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - s.count) + s
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        return ([line(header), rule] + body.map(line) + [rule, "Total params: \(totalParameters)"])
            .joined(separator: "\n")
    }
}

/// A norm with three significant digits, compact for tables.
func formatNorm(_ x: Float) -> String {
    if x == 0 { return "0" }
    if !x.isFinite { return "\(x)" }
    let magnitude = abs(x)
    if magnitude >= 100 || magnitude < 0.001 {
        return String(format: "%.2e", Double(x))
    }
    return String(format: magnitude >= 10 ? "%.1f" : (magnitude >= 1 ? "%.2f" : "%.3f"), Double(x))
}
