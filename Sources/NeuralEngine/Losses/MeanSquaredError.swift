import TensorCore

/// Mean squared error over all n·k outputs.
///
///     L = 1/(n k) Σ (ŷ − t)²        dL/dŷ = 2 (ŷ − t) / (n k)
public struct MeanSquaredError: Loss {
    public init() {}
    public var name: String { "mse" }
    public var foldedActivation: Activation? { nil }

    public func validate(outputColumns: Int, targets: Tensor) throws(ModelError) {
        guard targets.columns == outputColumns else {
            throw .invalidOption(field: "loss mse", expected: "targets of shape (None, \(outputColumns))",
                                 got: Tensor.describeBatched(Array(targets.shape.dropFirst())))
        }
    }

    public func loss(_ output: Tensor, _ targets: Tensor, gradient: inout Tensor) -> Float {
        gradient.resize(to: output.shape)
        let scale = 2 / Float(max(output.count, 1))
        var sum: Double = 0
        output.scalars.withUnsafeBufferPointer { y in
            targets.scalars.withUnsafeBufferPointer { t in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for i in y.indices {
                        let d = y[i] - t[i]
                        sum += Double(d * d)
                        g[i] = scale * d
                    }
                }
            }
        }
        return Float(sum / Double(max(output.count, 1)))
    }
}
