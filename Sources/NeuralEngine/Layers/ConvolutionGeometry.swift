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
    public func im2col(_ x: Tensor, into columns: inout Tensor) {
        let n = x.rows, patch = patchSize, c = channels
        columns.resize(to: [n * outputHeight * outputWidth, patch])
        x.scalars.withUnsafeBufferPointer { xp in
            columns.scalars.withUnsafeMutableBufferPointer { cp in
                var row = 0
                for i in 0..<n {
                    let sample = i * height * width * c
                    for r in 0..<outputHeight {
                        for q in 0..<outputWidth {
                            var o = row * patch
                            for ky in 0..<kernelHeight {
                                let iy = r * strideY + ky - padTop
                                for kx in 0..<kernelWidth {
                                    let ix = q * strideX + kx - padLeft
                                    if iy >= 0, iy < height, ix >= 0, ix < width {
                                        let s = sample + (iy * width + ix) * c
                                        for ch in 0..<c { cp[o + ch] = xp[s + ch] }
                                    } else {
                                        for ch in 0..<c { cp[o + ch] = 0 }
                                    }
                                    o += c
                                }
                            }
                            row += 1
                        }
                    }
                }
            }
        }
    }

    /// dx = col2im(dX̂): the adjoint of `im2col`, into `dx` of shape `(batch, H, W, C)`.
    public func col2im(_ columns: Tensor, into dx: inout Tensor, batch n: Int) {
        let patch = patchSize, c = channels
        dx.resize(to: [n, height, width, c])
        dx.fill(0)
        columns.scalars.withUnsafeBufferPointer { cp in
            dx.scalars.withUnsafeMutableBufferPointer { xp in
                var row = 0
                for i in 0..<n {
                    let sample = i * height * width * c
                    for r in 0..<outputHeight {
                        for q in 0..<outputWidth {
                            var o = row * patch
                            for ky in 0..<kernelHeight {
                                let iy = r * strideY + ky - padTop
                                for kx in 0..<kernelWidth {
                                    let ix = q * strideX + kx - padLeft
                                    if iy >= 0, iy < height, ix >= 0, ix < width {
                                        let s = sample + (iy * width + ix) * c
                                        for ch in 0..<c { xp[s + ch] += cp[o + ch] }
                                    }
                                    o += c
                                }
                            }
                            row += 1
                        }
                    }
                }
            }
        }
    }
}
