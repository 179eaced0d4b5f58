import TensorCore

/// The per-sample sizes of a 2-D window operation (convolution or pooling) and the im2col /
/// col2im maps between an NHWC batch and its matrix of windows.
///
///     valid  Ho = ⌊(H − kh) / sy⌋ + 1,  padTop = 0
///     same   Ho = ⌈H / sy⌉,  padding P = max((Ho − 1)·sy + kh − H, 0),  padTop = ⌊P / 2⌋
///     (likewise Wo and padLeft with the widths)
///
/// im2col writes one row per output position (sample, r, c) — `patchSize` = kh·kw·C values in
/// (ky, kx, channel) order, zeros where the window hangs over the padding. col2im is its
/// adjoint: every row is added back onto the input positions it was read from.
public struct ConvolutionGeometry: Equatable, Sendable {
    public let height: Int, width: Int, channels: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let strideY: Int, strideX: Int
    public let padTop: Int, padLeft: Int
    public let outputHeight: Int, outputWidth: Int

    static let empty = ConvolutionGeometry(height: 0, width: 0, channels: 0, kernelHeight: 0,
                                           kernelWidth: 0, strideY: 1, strideX: 1, padTop: 0,
                                           padLeft: 0, outputHeight: 0, outputWidth: 0)

    /// Values in one window: kh·kw·C.
    public var patchSize: Int { kernelHeight * kernelWidth * channels }

    private init(height: Int, width: Int, channels: Int, kernelHeight: Int, kernelWidth: Int,
                 strideY: Int, strideX: Int, padTop: Int, padLeft: Int, outputHeight: Int, outputWidth: Int) {
        self.height = height; self.width = width; self.channels = channels
        self.kernelHeight = kernelHeight; self.kernelWidth = kernelWidth
        self.strideY = strideY; self.strideX = strideX
        self.padTop = padTop; self.padLeft = padLeft
        self.outputHeight = outputHeight; self.outputWidth = outputWidth
    }

    /// The geometry for a per-sample input `[H, W, C]`, or nil when no window fits.
    public init?(input: [Int], kernel: (Int, Int), stride: (Int, Int), padding: Padding) {
        guard input.count == 3, input.allSatisfy({ $0 >= 1 }) else { return nil }
        let (h, w) = (input[0], input[1])
        func size(_ n: Int, _ k: Int, _ s: Int) -> (out: Int, pad: Int)? {
            switch padding {
            case .valid: return n >= k ? ((n - k) / s + 1, 0) : nil
            case .same:
                let out = (n + s - 1) / s
                return (out, max((out - 1) * s + k - n, 0) / 2)
            }
        }
        guard let rows = size(h, kernel.0, stride.0), let cols = size(w, kernel.1, stride.1) else { return nil }
        self.init(height: h, width: w, channels: input[2], kernelHeight: kernel.0, kernelWidth: kernel.1,
                  strideY: stride.0, strideX: stride.1, padTop: rows.pad, padLeft: cols.pad,
                  outputHeight: rows.out, outputWidth: cols.out)
    }

    /// X̂ = im2col(x): `(n·Ho·Wo, kh·kw·C)` from x `(n, H, W, C)`; `columns` is reused storage.
    ///
    /// One window row (kx = 0 … kw−1, every channel) is kw·C consecutive values of x, so a row
    /// inside the image is one contiguous copy; only rows or columns over the padding take the
    /// element-wise path.
    public func im2col(_ x: Tensor, into columns: inout Tensor) {
        let n = x.rows, patch = patchSize, c = channels, rows = n * outputHeight * outputWidth
        if !(columns.rank == 2 && columns.shape[0] == rows && columns.shape[1] == patch) {
            columns.resize(rows, patch)
        }
        let span = kernelWidth * c
        x.scalars.withUnsafeBufferPointer { xb in
            columns.scalars.withUnsafeMutableBufferPointer { cb in
                guard let xp = xb.baseAddress, let cp = cb.baseAddress else { return }
                forEachWindowRow(batch: n) { sample, iy, ix0, inside, column in
                    let o = cp + column, image = xp + sample
                    if iy < 0 || iy >= height {
                        o.update(repeating: 0, count: span)
                    } else if inside {
                        o.update(from: image + (iy * width + ix0) * c, count: span)
                    } else {
                        for kx in 0..<kernelWidth {
                            let ix = ix0 + kx
                            if ix >= 0, ix < width {
                                (o + kx * c).update(from: image + (iy * width + ix) * c, count: c)
                            } else {
                                (o + kx * c).update(repeating: 0, count: c)
                            }
                        }
                    }
                }
            }
        }
    }

    /// dx = col2im(dX̂): the adjoint of `im2col`, into `dx` of shape `(batch, H, W, C)`.
    public func col2im(_ columns: Tensor, into dx: inout Tensor, batch n: Int) {
        let c = channels, span = kernelWidth * c
        if !(dx.rank == 4 && dx.shape[0] == n && dx.shape[1] == height && dx.shape[2] == width && dx.shape[3] == c) {
            dx.resize(n, height, width, c)
        }
        dx.fill(0)
        columns.scalars.withUnsafeBufferPointer { cb in
            dx.scalars.withUnsafeMutableBufferPointer { xb in
                guard let cp = cb.baseAddress, let xp = xb.baseAddress else { return }
                forEachWindowRow(batch: n) { sample, iy, ix0, inside, column in
                    guard iy >= 0 && iy < height else { return }
                    let o = cp + column, image = xp + sample
                    if inside {
                        Kernels.add(o, into: image + (iy * width + ix0) * c, count: span)
                    } else {
                        for kx in 0..<kernelWidth where ix0 + kx >= 0 && ix0 + kx < width {
                            Kernels.add(o + kx * c, into: image + (iy * width + ix0 + kx) * c, count: c)
                        }
                    }
                }
            }
        }
    }

    /// The walk `im2col` and `col2im` share: for every sample, output position (r, q) and window
    /// row ky, in the columns' order, calls `visit(sample, iy, ix0, inside, column)` with the
    /// sample's offset in x, the input row iy = r·sy + ky − padTop (may lie in the padding), the
    /// window's first input column ix0 = q·sx − padLeft, whether all kw columns lie inside the
    /// image, and the offset of this window row (kw·C values) in the columns.
    @inline(__always)
    private func forEachWindowRow(batch n: Int,
                                  _ visit: (_ sample: Int, _ iy: Int, _ ix0: Int, _ inside: Bool, _ column: Int) -> Void) {
        let span = kernelWidth * channels
        var column = 0
        for i in 0..<n {
            let sample = i * height * width * channels
            for r in 0..<outputHeight {
                for q in 0..<outputWidth {
                    let ix0 = q * strideX - padLeft
                    let inside = ix0 >= 0 && ix0 + kernelWidth <= width
                    for ky in 0..<kernelHeight {
                        visit(sample, r * strideY + ky - padTop, ix0, inside, column)
                        column += span
                    }
                }
            }
        }
    }
}
