import TensorCore

/// Max pooling over channels-last images, each channel separately (Keras' `MaxPooling2D`).
///
///     shapes    x: (n, H, W, C) → y: (n, Ho, Wo, C), Ho = ⌊(H − ph) / sy⌋ + 1 (valid)
///     forward   y[i, r, q, c] = max over the window (r·sy + a, q·sx + b), a < ph, b < pw
///     backward  dx[i, argmax, c] += dy[i, r, q, c], zero elsewhere
///
/// The gradient goes to the window's argmax only; on ties to the first maximum in row-major
/// window order. The stride defaults to the pool size (non-overlapping windows), padding is
/// `valid`: a trailing row or column that does not fill a window is dropped, as in Keras.
public final class MaxPool2D: Layer {
    public let poolHeight: Int, poolWidth: Int
    public let strideY: Int, strideX: Int
    public private(set) var geometry = ConvolutionGeometry.empty
    /// For every output element, the flat index into x of the maximum it took.
    private var argmax: [Int] = []

    public var typeName: String { "MaxPooling2D" }
    public var label: String {
        "MaxPool \(poolHeight)x\(poolWidth)"
            + (strideY == poolHeight && strideX == poolWidth ? "" : " s\(strideY)x\(strideX)")
    }
    public var parameters: [Parameter] { [] }

    /// Pools `pool` windows moved by `stride` (the pool size when nil). Throws for sizes below 1.
    public init(pool: (height: Int, width: Int) = (2, 2),
                stride: (y: Int, x: Int)? = nil) throws(ModelError) {
        let s = stride ?? (pool.height, pool.width)
        for value in [pool.height, pool.width, s.y, s.x] where value < 1 {
            throw .invalidOption(field: "maxpool size", expected: "an integer ≥ 1", got: "\(value)")
        }
        (poolHeight, poolWidth) = pool
        (strideY, strideX) = s
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard let g = ConvolutionGeometry(input: inputShape, kernel: (poolHeight, poolWidth),
                                          stride: (strideY, strideX), padding: .valid) else {
            throw .shapeMismatch(layer: label,
                                 expected: "(None, height, width, channels) with height ≥ \(poolHeight), width ≥ \(poolWidth)",
                                 got: Tensor.describeBatched(inputShape))
        }
        geometry = g
        return [g.outputHeight, g.outputWidth, g.channels]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let g = geometry, n = x.rows, c = g.channels
        y.resize(to: [n, g.outputHeight, g.outputWidth, c])
        if argmax.count != y.count { argmax = [Int](repeating: 0, count: y.count) }
        x.scalars.withUnsafeBufferPointer { xp in
            y.scalars.withUnsafeMutableBufferPointer { yp in
                argmax.withUnsafeMutableBufferPointer { ap in
                    var o = 0
                    for i in 0..<n {
                        let sample = i * g.height * g.width * c
                        for r in 0..<g.outputHeight {
                            for q in 0..<g.outputWidth {
                                for ch in 0..<c {
                                    var best = -Float.infinity, at = -1
                                    for a in 0..<poolHeight {
                                        let rowStart = sample + ((r * strideY + a) * g.width + q * strideX) * c + ch
                                        for b in 0..<poolWidth {
                                            let s = rowStart + b * c
                                            if xp[s] > best || at < 0 { best = xp[s]; at = s }
                                        }
                                    }
                                    yp[o] = best
                                    ap[o] = at
                                    o += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        guard needsInputGradient else { return }
        dx.resize(to: x.shape)
        dx.fill(0)
        dx.scalars.withUnsafeMutableBufferPointer { dxp in
            dy.scalars.withUnsafeBufferPointer { dyp in
                argmax.withUnsafeBufferPointer { ap in
                    for o in 0..<dyp.count { dxp[ap[o]] += dyp[o] }
                }
            }
        }
    }
}
