import Datasets
import NeuralEngine

/// The names of a dense weight matrix's rows and columns in `show weights`: the first layer's
/// rows are the data's features (`sepal length`, `garden=yes`), a later layer's the previous
/// layer's units (`dense1 unit 3`); the last layer's columns are the classes when there is one
/// per class, other columns the layer's own units, counted from 1 as everywhere.
struct WeightLabels {
    /// The names of the layers with parameters, in order.
    private let layers: [String]
    private let features: [String]
    private let classes: [String]

    init(model: Sequential, data: Dataset?) {
        layers = zip(model.names, model.layers).filter { !$0.1.parameters.isEmpty }.map(\.0)
        features = data?.featureNames ?? []
        classes = data?.classNames ?? []
    }

    /// Row and column names for the weight `name` (`dense2.w`) of `shape` (inputs, units).
    func of(_ name: String, shape: [Int]) -> (rows: [String], columns: [String]) {
        let layer = String(name.prefix { $0 != "." })
        let index = layers.firstIndex(of: layer)
        let rows: [String]
        if index == 0, features.count == shape[0] {
            rows = features
        } else if let index, index > 0 {
            rows = (0..<shape[0]).map { "\(layers[index - 1]) unit \($0 + 1)" }
        } else {
            rows = (0..<shape[0]).map { "input \($0 + 1)" }
        }
        let columns: [String]
        if index == layers.count - 1, classes.count == shape[1], shape[1] > 1 {
            columns = classes
        } else {
            columns = (0..<shape[1]).map { "unit \($0 + 1)" }
        }
        return (rows, columns)
    }
}
