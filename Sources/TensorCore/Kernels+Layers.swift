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

    /// Σ x[j] · y[j] over `count` values, eight lanes of partial sums added at the end (an
    /// attention score: a query row against a key row).
    @inlinable @inline(__always)
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        var acc = Lanes()
        var j = 0
        while j + Lanes.scalarCount <= count {
            acc += load(x, j) * load(y, j)
            j += Lanes.scalarCount
        }
        var sum = acc.sum()
        while j < count { sum += x[j] * y[j]; j += 1 }
        return sum
    }

    /// Σ x[j] over `count` values, in eight lanes of partial sums.
    @inlinable @inline(__always)
    public static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = Lanes()
        var j = 0
        while j + Lanes.scalarCount <= count {
            acc += load(x, j)
            j += Lanes.scalarCount
        }
        var s = acc.sum()
        while j < count { s += x[j]; j += 1 }
        return s
    }

    /// One row of layer normalisation (see `LayerNorm`): x̂ = (x − μ) r, y = γ ⊙ x̂ + β over
    /// `count` values; returns r = 1/√(σ² + ε).
    @inlinable
    public static func layerNorm(_ x: UnsafePointer<Float>, count d: Int, epsilon: Float, scale g: UnsafePointer<Float>,
                                 shift b: UnsafePointer<Float>, normalized h: UnsafeMutablePointer<Float>,
                                 into y: UnsafeMutablePointer<Float>) -> Float {
        let mean = sum(x, count: d) / Float(d)
        var j = 0
        var acc = Lanes()
        while j + Lanes.scalarCount <= d {
            let c = load(x, j) - mean
            acc += c * c
            j += Lanes.scalarCount
        }
        var variance = acc.sum()
        while j < d { let c = x[j] - mean; variance += c * c; j += 1 }
        let r = 1 / (variance / Float(d) + epsilon).squareRoot()
        j = 0
        while j + Lanes.scalarCount <= d {
            let xh = (load(x, j) - mean) * r
            store(xh, h, j)
            store(load(g, j) * xh + load(b, j), y, j)
            j += Lanes.scalarCount
        }
        while j < d { let xh = (x[j] - mean) * r; h[j] = xh; y[j] = g[j] * xh + b[j]; j += 1 }
        return r
    }

    /// One row of layer normalisation's backward pass: adds dy ⊙ x̂ to dγ and dy to dβ, and when
    /// `dx` is given writes (or, with `accumulate`, adds) dx = r (g − mean(g) − x̂ mean(g ⊙ x̂)),
    /// g = dy ⊙ γ.
    @inlinable
    public static func layerNormBackward(_ dy: UnsafePointer<Float>, normalized h: UnsafePointer<Float>, r: Float,
                                         count d: Int, scale gamma: UnsafePointer<Float>,
                                         scaleGradient dg: UnsafeMutablePointer<Float>, shiftGradient db: UnsafeMutablePointer<Float>,
                                         into dx: UnsafeMutablePointer<Float>?, accumulate: Bool) {
        var j = 0
        var sumG = Lanes(), sumGH = Lanes()
        while j + Lanes.scalarCount <= d {
            let gy = load(dy, j), xh = load(h, j)
            store(load(dg, j) + gy * xh, dg, j)
            store(load(db, j) + gy, db, j)
            let gj = gy * load(gamma, j)
            sumG += gj
            sumGH += gj * xh
            j += Lanes.scalarCount
        }
        var meanG = sumG.sum(), meanGH = sumGH.sum()
        while j < d {
            let gy = dy[j], xh = h[j]
            dg[j] += gy * xh
            db[j] += gy
            meanG += gy * gamma[j]
            meanGH += gy * gamma[j] * xh
            j += 1
        }
        guard let dx else { return }
        meanG /= Float(d)
        meanGH /= Float(d)
        j = 0
        while j + Lanes.scalarCount <= d {
            let v = r * (load(dy, j) * load(gamma, j) - meanG - load(h, j) * meanGH)
            store(accumulate ? load(dx, j) + v : v, dx, j)
            j += Lanes.scalarCount
        }
        while j < d {
            let v = r * (dy[j] * gamma[j] - meanG - h[j] * meanGH)
            dx[j] = accumulate ? dx[j] + v : v
            j += 1
        }
    }
}
