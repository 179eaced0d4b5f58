/// A dense, contiguous, row-major array of `Float` with a shape.
///
/// The first dimension is the batch wherever a batch exists: a Dense layer's input is
/// `[n, features]`, a Conv2D input `[n, height, width, channels]` (NHWC, like Keras).
/// Storage is a Swift array, so copies are copy-on-write; the training loop keeps its
/// tensors alive between steps and overwrites them in place, so a warm step allocates nothing.
public struct Tensor: Equatable, Sendable {
    /// The size of each dimension; the product equals `scalars.count`.
    public private(set) var shape: [Int]
    /// The elements in row-major order.
    public var scalars: [Float]

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.scalars = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor of `shape` holding `scalars` (row-major). Throws when the counts disagree.
    public init(shape: [Int], scalars: [Float]) throws {
        // Overflow-checked: a shape read from a file may multiply past Int.max (found by
        // fuzzing the model description: Fuzz/corpus/architecture/crash-tensor-shape-overflow).
        var count: Int? = 1
        for d in shape {
            guard let c = count, d >= 0 else { count = nil; break }
            let (product, overflow) = c.multipliedReportingOverflow(by: d)
            count = overflow ? nil : product
        }
        guard let count, count == scalars.count else {
            throw TensorError.shapeMismatch(
                "cannot make a tensor of shape \(Tensor.describe(shape)) from \(scalars.count) values")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A rank-2 tensor from rows of equal length.
    public init(rows: [[Float]]) throws {
        let width = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == width }) else {
            throw TensorError.shapeMismatch("rows of unequal length")
        }
        try self.init(shape: [rows.count, width], scalars: rows.flatMap { $0 })
    }

    /// The number of elements.
    @inlinable public var count: Int { scalars.count }
    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// The size of the first dimension (the batch), or 1 for a scalar.
    @inlinable public var rows: Int { shape.first ?? 1 }
    /// Elements per row: the product of all dimensions but the first.
    @inlinable public var columns: Int { rows == 0 ? 0 : count / rows }

    /// Element access by full index (slow path for tests and explanations).
    public subscript(_ index: Int...) -> Float {
        get { scalars[offset(of: index)] }
        set { scalars[offset(of: index)] = newValue }
    }

    /// The flat offset of a full multi-index.
    public func offset(of index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, dim) in zip(index, shape) {
            precondition(i >= 0 && i < dim, "index \(index) out of range for shape \(shape)")
            flat = flat * dim + i
        }
        return flat
    }

    /// The same elements under a new shape with the same element count.
    public func reshaped(to newShape: [Int]) throws -> Tensor {
        try Tensor(shape: newShape, scalars: scalars)
    }

    /// Changes the shape in place, reusing storage when the element count is unchanged.
    /// Used by layers to keep their buffers across batches of different sizes.
    public mutating func resize(to newShape: [Int]) {
        let newCount = newShape.reduce(1, *)
        if newCount != scalars.count {
            scalars = [Float](repeating: 0, count: newCount)
        }
        if newShape != shape { shape = newShape }
    }

    /// Gives the tensor the shape (a, b) or (a, b, c) (c = nil: rank 2), building a shape array
    /// only when the shape differs: the per-step buffers of layers call this on every batch.
    public mutating func ensureShape(_ a: Int, _ b: Int, _ c: Int? = nil) {
        if let c {
            if !(rank == 3 && shape[0] == a && shape[1] == b && shape[2] == c) { resize(to: [a, b, c]) }
        } else if !(rank == 2 && shape[0] == a && shape[1] == b) {
            resize(to: [a, b])
        }
    }

    /// The rows `range` of a tensor whose first dimension is the batch (copies).
    public func rows(_ range: Range<Int>) -> Tensor {
        var out = Tensor(shape: [range.count] + shape.dropFirst(), repeating: 0)
        let width = columns
        out.scalars.withUnsafeMutableBufferPointer { dst in
            scalars.withUnsafeBufferPointer { src in
                for (k, r) in range.enumerated() {
                    for c in 0..<width { dst[k * width + c] = src[r * width + c] }
                }
            }
        }
        return out
    }

    /// The rows at `indices` (a gather along the batch dimension), written into `out`.
    public func gatherRows(_ indices: ArraySlice<Int>, into out: inout Tensor) {
        let width = columns
        if !out.hasShape(first: indices.count, rest: shape.dropFirst()) {
            out.resize(to: [indices.count] + shape.dropFirst())
        }
        out.scalars.withUnsafeMutableBufferPointer { dst in
            scalars.withUnsafeBufferPointer { src in
                guard width > 0, let d = dst.baseAddress, let s = src.baseAddress else { return }
                var row = d
                for r in indices {
                    precondition(r >= 0 && r < rows, "gatherRows: row \(r) out of range")
                    row.update(from: s + r * width, count: width)
                    row += width
                }
            }
        }
    }

    /// The rows at `indices` as a new tensor.
    public func gatherRows(_ indices: [Int]) -> Tensor {
        var out = Tensor(shape: [0])
        gatherRows(indices[...], into: &out)
        return out
    }

    /// True when the shape is `[first] + rest`, checked without building that array (the
    /// training loop calls this every step and must not allocate).
    public func hasShape(first: Int, rest: ArraySlice<Int>) -> Bool {
        shape.count == rest.count + 1 && shape[0] == first && shape.dropFirst().elementsEqual(rest)
    }

    /// A shape written as a tuple: `(2, 3)`.
    public static func describe(_ shape: [Int]) -> String {
        "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// A shape written like Keras writes it: `(None, 8)` for a per-sample shape `[8]`.
    public static func describeBatched(_ perSampleShape: [Int]) -> String {
        "(None" + perSampleShape.map { ", \($0)" }.joined() + ")"
    }
}

/// Errors from tensor operations; each message names the shapes involved.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    case shapeMismatch(String)

    public var description: String {
        switch self {
        case .shapeMismatch(let message): return "shape mismatch: \(message)"
        }
    }
}
