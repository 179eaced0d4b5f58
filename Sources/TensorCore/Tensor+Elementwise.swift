import Foundation

// MARK: - Elementwise operations and reductions
// In-place forms take `inout` and never allocate; they are what the training loop uses.

extension Tensor {
    /// Applies `f` to every element in place.
    @inlinable public mutating func apply(_ f: (Float) -> Float) {
        scalars.withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] = f(p[i]) }
        }
    }

    /// A new tensor with `f` applied to every element.
    @inlinable public func map(_ f: (Float) -> Float) -> Tensor {
        var out = self
        out.apply(f)
        return out
    }

    /// self += alpha · other (shapes must have equal element counts).
    public mutating func add(_ other: Tensor, scaledBy alpha: Float = 1) {
        precondition(count == other.count, "add: \(shape) vs \(other.shape)")
        scalars.withUnsafeMutableBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                for i in a.indices { a[i] += alpha * b[i] }
            }
        }
    }

    /// self ⊙= other, elementwise.
    public mutating func multiply(by other: Tensor) {
        precondition(count == other.count, "multiply: \(shape) vs \(other.shape)")
        scalars.withUnsafeMutableBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                for i in a.indices { a[i] *= b[i] }
            }
        }
    }

    /// self *= s.
    public mutating func scale(by s: Float) {
        scalars.withUnsafeMutableBufferPointer { a in
            for i in a.indices { a[i] *= s }
        }
    }

    /// Sets every element to `value` without reallocating (a long fill in two halves at once
    /// when `WorkSplit` allows: an embedding's gradient is cleared every step).
    public mutating func fill(_ value: Float) {
        scalars.withUnsafeMutableBufferPointer { a in
            guard let p = a.baseAddress else { return }
            guard WorkSplit.splits(a.count) else { return p.update(repeating: value, count: a.count) }
            let half = a.count / 2
            _ = WorkSplit.shared.run(.fill(start: p, count: half, value: value),
                                     .fill(start: p + half, count: a.count - half, value: value))
        }
    }

    /// Copies `other`'s elements and shape into self, reusing storage when possible.
    public mutating func assign(_ other: Tensor) {
        resize(to: other.shape)
        assignElements(other)
    }

    /// Copies `other`'s elements into self, keeping self's shape (the counts must agree): a
    /// reshaping layer (`Flatten`) copies without building a shape array for either side.
    public mutating func assignElements(_ other: Tensor) {
        precondition(count == other.count, "assignElements: \(count) elements from \(other.count)")
        scalars.withUnsafeMutableBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                for i in a.indices { a[i] = b[i] }
            }
        }
    }

    /// Σ x.
    public func sum() -> Float {
        scalars.withUnsafeBufferPointer { p in
            var s: Double = 0
            for v in p { s += Double(v) }
            return Float(s)
        }
    }

    /// Σ x / n.
    public func mean() -> Float { count == 0 ? 0 : sum() / Float(count) }

    /// ‖x‖₂ = sqrt(Σ x²), accumulated in Double.
    public func l2Norm() -> Float {
        Float(scalars.withUnsafeBufferPointer { Kernels.sumOfSquares($0) }.squareRoot())
    }

    /// Σ |x|.
    public func l1Norm() -> Float {
        scalars.withUnsafeBufferPointer { p in
            var s: Double = 0
            for v in p { s += Double(abs(v)) }
            return Float(s)
        }
    }

    /// True when every element is finite (no NaN or ±Inf).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }

    /// For each row, the column index of the largest element.
    public func argmaxPerRow() -> [Int] {
        let width = columns
        guard width > 0 else { return [] }
        return (0..<rows).map { r in
            var best = 0
            var bestValue = -Float.infinity
            for c in 0..<width where scalars[r * width + c] > bestValue {
                bestValue = scalars[r * width + c]
                best = c
            }
            return best
        }
    }

    /// Column sums of a rank-2 view `[rows, columns]`, written into `out` of shape `[columns]`.
    public func sumRows(into out: inout Tensor) {
        let width = columns
        if !out.hasShape(first: width, rest: []) { out.resize(width) }
        out.fill(0)
        guard width > 0 else { return }
        out.scalars.withUnsafeMutableBufferPointer { o in
            scalars.withUnsafeBufferPointer { x in
                let n = rows
                // Row by row, eight columns at a time: each column's sum keeps the row order.
                var c = 0
                while c + Kernels.Lanes.scalarCount <= width {
                    var acc = Kernels.Lanes()
                    for r in 0..<n { acc += Kernels.load(x.baseAddress!, r * width + c) }
                    Kernels.store(acc, o.baseAddress!, c)
                    c += Kernels.Lanes.scalarCount
                }
                for r in 0..<n {
                    let base = r * width
                    for k in c..<width { o[k] += x[base + k] }
                }
            }
        }
    }
}
