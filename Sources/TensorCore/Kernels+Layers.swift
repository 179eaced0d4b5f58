// Kernels for the layers whose hot loops are not a dense layer's: recurrent steps (rows spaced
// by a stride), row sums, pooling windows and embedding rows. Eight lanes at a time, as in
// `Kernels.swift`; `@inlinable` so that a lane function passed as a closure is specialised into
// the caller.

import CKernels

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

    /// out[j] += Σ_r x[r · columns + j] over `rows` contiguous rows (a bias gradient), each
    /// column's sum in row order: CKernels' `descent_add_column_sums`, in AVX2 registers where
    /// the CPU has them.
    public static func addColumnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int,
                                     into out: UnsafeMutablePointer<Float>) {
        descent_add_column_sums(x, rows, columns, out)
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

extension Kernels {
    /// One pooling window over `channels` interleaved channels (channels-last):
    ///
    ///     y[ch] = max_k x[origin + offsets[k] + ch],  argmax[ch] = origin + offsets[k*] + ch
    /// for k < `positions`, where k* is the first maximum in `offsets` order (ties keep the
    /// earlier position; a NaN in the first position stays, later NaNs are never taken, as
    /// in the scalar loop `if v > best`). Eight channels at a time.
    @inlinable
    public static func maxPool(_ x: UnsafePointer<Float>, origin: Int, offsets: UnsafePointer<Int>, positions: Int,
                               channels: Int, into y: UnsafeMutablePointer<Float>,
                               argmax: UnsafeMutablePointer<Int32>) {
        typealias Indices = SIMD8<Int32>
        let iota = Indices(0, 1, 2, 3, 4, 5, 6, 7)
        var ch = 0
        while ch + Lanes.scalarCount <= channels {
            var at = origin + offsets[0] + ch
            var best = load(x, at)
            var index = Indices(repeating: Int32(truncatingIfNeeded: at)) &+ iota
            for k in 1..<max(positions, 1) {
                at = origin + offsets[k] + ch
                let v = load(x, at)
                let greater = v .> best
                best.replace(with: v, where: greater)
                index.replace(with: Indices(repeating: Int32(truncatingIfNeeded: at)) &+ iota, where: greater)
            }
            store(best, y, ch)
            UnsafeMutableRawPointer(argmax + ch).storeBytes(of: index, as: Indices.self)
            ch += Lanes.scalarCount
        }
        while ch < channels {
            var at = origin + offsets[0] + ch
            var best = x[at]
            for k in 1..<max(positions, 1) {
                let s = origin + offsets[k] + ch
                if x[s] > best { best = x[s]; at = s }
            }
            y[ch] = best
            argmax[ch] = Int32(truncatingIfNeeded: at)
            ch += 1
        }
    }
}

extension Kernels {
    /// y[0..<count] ← x[0..<count], eight lanes at a time (short rows: an embedding vector).
    @inlinable @inline(__always)
    public static func copy(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j + Lanes.scalarCount <= count {
            store(load(x, j), y, j)
            j += Lanes.scalarCount
        }
        while j < count { y[j] = x[j]; j += 1 }
    }

    /// y[0..<count] += w · x[0..<count].
    @inlinable @inline(__always)
    public static func add(_ x: UnsafePointer<Float>, scaledBy w: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j + Lanes.scalarCount <= count {
            store(load(y, j) + w * load(x, j), y, j)
            j += Lanes.scalarCount
        }
        while j < count { y[j] += w * x[j]; j += 1 }
    }

    /// y[0..<count] ← s · x[0..<count] (x and y may be the same buffer).
    @inlinable @inline(__always)
    public static func scale(_ x: UnsafePointer<Float>, by s: Float, into y: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j + Lanes.scalarCount <= count {
            store(s * load(x, j), y, j)
            j += Lanes.scalarCount
        }
        while j < count { y[j] = s * x[j]; j += 1 }
    }
}
