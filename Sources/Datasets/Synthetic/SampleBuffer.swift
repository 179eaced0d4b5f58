import TensorCore

/// Rows being generated: features flat in row-major order, one target per row.
struct SampleBuffer {
    let width: Int
    private(set) var features: [Float] = []
    private(set) var targets: [Float] = []

    init(width: Int, capacity: Int) {
        self.width = width
        features.reserveCapacity(width * capacity)
        targets.reserveCapacity(capacity)
    }

    /// Appends a 1-feature row.
    mutating func append(_ x: Float, target: Float) {
        precondition(width == 1)
        features.append(x)
        targets.append(target)
    }

    /// Appends a 2-feature row.
    mutating func append(_ x1: Float, _ x2: Float, target: Float) {
        precondition(width == 2)
        features.append(x1)
        features.append(x2)
        targets.append(target)
    }

    /// The rows as `[n, width]` features and `[n, 1]` targets.
    var tensors: (features: Tensor, targets: Tensor) {
        var x = Tensor(shape: [targets.count, width])
        x.scalars = features
        var y = Tensor(shape: [targets.count, 1])
        y.scalars = targets
        return (x, y)
    }
}
