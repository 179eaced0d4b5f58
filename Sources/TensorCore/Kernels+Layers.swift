// Kernels for the layers whose hot loops are not a dense layer's: recurrent steps (rows spaced
// by a stride), row sums, pooling windows and embedding rows. Eight lanes at a time, as in
// `Kernels.swift`; `@inlinable` so that a lane function passed as a closure is specialised into
// the caller.

extension Kernels {
    /// For each of `rows` rows of `columns` elements starting at `y`, `stride` apart:
    /// row ← f(row + b), with `b` of `columns` elements (a recurrent step's bias and activation).
    @inlinable public static func mapRows(_ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int,
                                          addingRow b: UnsafePointer<Float>, _ f: (Lanes) -> Lanes) {
        var row = y
        for _ in 0..<rows {
            var j = 0
            while j + Lanes.scalarCount <= columns {
                store(f(load(row, j) + load(b, j)), row, j)
                j += Lanes.scalarCount
            }
            if j < columns {
                var lanes = Lanes()
                for k in 0..<(columns - j) { lanes[k] = row[j + k] + b[j + k] }
                let out = f(lanes)
                for k in 0..<(columns - j) { row[j + k] = out[k] }
            }
            row += stride
        }
    }

    /// For each of `rows` rows of `columns` elements, `stride` apart in both buffers:
    /// g ← f(g, a) elementwise (a recurrent step's activation gradient: g = dL/dh, a = h).
    @inlinable public static func mapRows(_ g: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>,
                                          rows: Int, columns: Int, stride: Int,
                                          _ f: (Lanes, Lanes) -> Lanes) {
        var gr = g, ar = a
        for _ in 0..<rows {
            var j = 0
            while j + Lanes.scalarCount <= columns {
                store(f(load(gr, j), load(ar, j)), gr, j)
                j += Lanes.scalarCount
            }
            while j < columns {
                gr[j] = f(Lanes(repeating: gr[j]), Lanes(repeating: ar[j]))[0]
                j += 1
            }
            gr += stride
            ar += stride
        }
    }

    /// out[j] += Σ_r x[r · columns + j] over `rows` contiguous rows (a bias gradient). Each
    /// column's sum is taken in row order, as the scalar loop did.
    public static func addColumnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int,
                                     into out: UnsafeMutablePointer<Float>) {
        var c = 0
        while c + Lanes.scalarCount <= columns {
            var acc = load(out, c)
            var p = x + c
            for _ in 0..<rows {
                acc += load(p, 0)
                p += columns
            }
            store(acc, out, c)
            c += Lanes.scalarCount
        }
        guard c < columns else { return }
        for r in 0..<rows {
            let row = x + r * columns
            for k in c..<columns { out[k] += row[k] }
        }
    }

    /// y[0..<count] += x[0..<count] (an embedding row's gradient, a pooled sum).
    @inlinable @inline(__always)
    public static func add(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j + Lanes.scalarCount <= count {
            store(load(y, j) + load(x, j), y, j)
            j += Lanes.scalarCount
        }
        while j < count { y[j] += x[j]; j += 1 }
    }
}
