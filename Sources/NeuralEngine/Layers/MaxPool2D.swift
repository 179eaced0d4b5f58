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
    private var argmax: [Int32] = []
    /// The window's positions as offsets from its top-left element, (a·W + b)·C, row-major.
    private var windowOffsets: [Int] = []

    public var typeName: String { "MaxPooling2D" }
    public var label: String {
        "MaxPool \(poolHeight)x\(poolWidth)"
            + (strideY == poolHeight && strideX == poolWidth ? "" : " s\(strideY)x\(strideX)")
    }
    public var parameters: [Parameter] { [] }
    public var config: LayerConfig { .maxPool2d(pool: [poolHeight, poolWidth], stride: [strideY, strideX]) }

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
        windowOffsets = (0..<poolHeight).flatMap { a in
            (0..<poolWidth).map { b in (a * g.width + b) * g.channels }
        }
        return [g.outputHeight, g.outputWidth, g.channels]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let g = geometry, n = x.rows, c = g.channels, ho = g.outputHeight, wo = g.outputWidth
        if !(y.rank == 4 && y.shape[0] == n && y.shape[1] == ho && y.shape[2] == wo && y.shape[3] == c) {
            y.resize(n, ho, wo, c)
        }
        precondition(x.count <= Int(Int32.max), "maxpool: input of \(x.count) values is too large")
        if argmax.count > y.count {   // kept, like a tensor's storage (`Tensor.resize`)
            argmax.removeLast(argmax.count - y.count)
        } else if argmax.count < y.count {
            argmax.append(contentsOf: repeatElement(0, count: y.count - argmax.count))
        }
        let sampleSize = g.height * g.width * c, rowStep = strideY * g.width * c, columnStep = strideX * c
        let positions = poolHeight * poolWidth
        x.scalars.withUnsafeBufferPointer { xb in
            y.scalars.withUnsafeMutableBufferPointer { yb in
                argmax.withUnsafeMutableBufferPointer { ab in
                    windowOffsets.withUnsafeBufferPointer { ob in
                        guard let xp = xb.baseAddress, let yp = yb.baseAddress, let ap = ab.baseAddress,
                              let op = ob.baseAddress else { return }
                        var o = 0
                        for i in 0..<n {
                            var rowOrigin = i * sampleSize
                            for _ in 0..<ho {
                                var origin = rowOrigin
                                for _ in 0..<wo {
                                    Kernels.maxPool(xp, origin: origin, offsets: op, positions: positions,
                                                    channels: c, into: yp + o, argmax: ap + o)
                                    o += c
                                    origin += columnStep
                                }
                                rowOrigin += rowStep
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
        dx.scalars.withUnsafeMutableBufferPointer { dxb in
            dy.scalars.withUnsafeBufferPointer { dyb in
                argmax.withUnsafeBufferPointer { ab in
                    guard let dxp = dxb.baseAddress, let dyp = dyb.baseAddress, let ap = ab.baseAddress else { return }
                    precondition(dyb.count == ab.count, "maxpool: backward without its forward")
                    for o in 0..<dyb.count { dxp[Int(ap[o])] += dyp[o] }
                }
            }
        }
    }
}
