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

    /// Changes the shape in place, keeping the storage: a buffer shrinks without freeing and
    /// grows back into the room it had (only elements past the old count are zeroed, and memory
    /// is allocated only past the largest size it ever had). Layers keep their buffers across
    /// batches of different sizes with it (training batches, evaluation chunks, a one-sample
    /// probe), so switching between them neither allocates nor faults pages in again.
    /// What the elements hold after a resize is unspecified: callers write before they read.
    public mutating func resize(to newShape: [Int]) {
        resizeScalars(to: newShape.reduce(1, *))
        guard shape.count == newShape.count else {
            shape = newShape
            return
        }
        // Written element by element: the shape array stays this tensor's own, so a later
        // in-place resize does not copy one it shares.
        for i in newShape.indices where shape[i] != newShape[i] { shape[i] = newShape[i] }
    }

    /// `resize(to: [a])` without building a shape array.
    public mutating func resize(_ a: Int) {
        resizeScalars(to: a)
        if shape.count != 1 { shape = [a] } else if shape[0] != a { shape[0] = a }
    }

    /// `resize(to: [a, b])`, `[a, b, c]` or `[a, b, c, d]` without building a shape array: the
    /// dimensions are written into the tensor's own when the rank is unchanged (an array literal
    /// at every call allocated, once per batch-size change, in the warm training loop).
    public mutating func resize(_ a: Int, _ b: Int, _ c: Int? = nil, _ d: Int? = nil) {
        precondition(d == nil || c != nil, "resize: a fourth dimension needs a third")
        let rank = d != nil ? 4 : (c != nil ? 3 : 2)
        resizeScalars(to: a * b * (c ?? 1) * (d ?? 1))
        guard shape.count == rank else {
            shape = [a, b] + (c.map { [$0] } ?? []) + (d.map { [$0] } ?? [])
            return
        }
        if shape[0] != a { shape[0] = a }
        if shape[1] != b { shape[1] = b }
        if let c, shape[2] != c { shape[2] = c }
        if let d, shape[3] != d { shape[3] = d }
    }

    /// Gives the tensor `rows` rows shaped like `source`'s rows (`[rows] + source.shape.dropFirst()`),
    /// writing only the first dimension when the rest already agrees.
    public mutating func resize(rows: Int, shapedLike source: Tensor) {
        let rest = source.shape.dropFirst()
        guard shape.count == rest.count + 1, shape.dropFirst().elementsEqual(rest) else {
            resize(to: [rows] + rest)
            return
        }
        resizeScalars(to: rows * rest.reduce(1, *))
        if shape[0] != rows { shape[0] = rows }
    }

    /// Gives the storage `newCount` elements, keeping its capacity (see `resize(to:)`).
    private mutating func resizeScalars(to newCount: Int) { scalars.setCount(newCount) }

    /// Gives the tensor the shape (a, b) or (a, b, c) (c = nil: rank 2), changing nothing when it
    /// has it already: the per-step buffers of layers call this on every batch.
    public mutating func ensureShape(_ a: Int, _ b: Int, _ c: Int? = nil) {
        if let c {
            if !(rank == 3 && shape[0] == a && shape[1] == b && shape[2] == c) { resize(a, b, c) }
        } else if !(rank == 2 && shape[0] == a && shape[1] == b) {
            resize(a, b)
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
        if !out.hasShape(first: indices.count, rest: shape.dropFirst()) { out.resize(rows: indices.count, shapedLike: self) }
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

    /// The rows `range` (along the batch dimension), written into `out` (kept between calls: no
    /// allocation once it has had room for them).
    public func copyRows(_ range: Range<Int>, into out: inout Tensor) {
        let width = columns
        if !out.hasShape(first: range.count, rest: shape.dropFirst()) { out.resize(rows: range.count, shapedLike: self) }
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "copyRows: rows \(range) out of range")
        out.scalars.withUnsafeMutableBufferPointer { dst in
            scalars.withUnsafeBufferPointer { src in
                guard width > 0, let d = dst.baseAddress, let s = src.baseAddress else { return }
                d.update(from: s + range.lowerBound * width, count: range.count * width)
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
