import Foundation
import TensorCore

/// How a convolution or pooling window treats the border, as Keras names it.
public enum Padding: String, CaseIterable, Sendable, Codable {
    /// No padding: only windows that fit inside the input; out = ⌊(in − k) / s⌋ + 1.
    case valid
    /// Zero padding so that out = ⌈in / s⌉; the odd extra row/column of padding goes to the
    /// bottom/right (TensorFlow's rule).
    case same
}

/// A 2-D convolution over channels-last images (NHWC, like Keras) with an optional fused
/// activation f, computed as im2col + one matrix product.
///
///     shapes    x: (n, H, W, C)   K: (kh·kw·C, F)   b: (F)   y: (n, Ho, Wo, F)
///               valid: Ho = ⌊(H − kh) / s⌋ + 1     same: Ho = ⌈H / s⌉   (likewise Wo)
///     forward   X̂ = im2col(x)  (n·Ho·Wo, kh·kw·C): row (i, r, c) holds the window under output
///                                 (r, c) of sample i, ordered (ky, kx, channel)
///               z = X̂ K + b,  y = f(z)                      (one gemm)
///     backward  dz = dy ⊙ f′  (see `Activation`)
///               dK = X̂ᵀ dz,  db = Σ_rows dz,  dX̂ = dz Kᵀ,  dx = col2im(dX̂)  (scatter-add)
///
/// The kernel is stored `(kh·kw·C, F)`: Keras' kernel of shape `(kh, kw, C, F)` reshaped
/// row-major, so `K[(ky·kw + kx)·C + c, f]` is Keras' `kernel[ky, kx, c, f]`. Initialisation as
/// `Dense`, with fan-in kh·kw·C and fan-out kh·kw·F: He uniform for the ReLU family, Glorot
/// uniform otherwise; the bias starts at zero. The im2col buffer is kept from `forward` for the
/// `backward` that follows it and reused from batch to batch.
public final class Conv2D: Layer {
    public let filters: Int
    public let kernelHeight: Int, kernelWidth: Int
    public let strideY: Int, strideX: Int
    public let padding: Padding
    public let activation: Activation
    public let weight: Parameter
    public let bias: Parameter
    /// Per-sample input and output geometry, fixed by `build`.
    public private(set) var geometry = ConvolutionGeometry.empty

    private var columns = Tensor(shape: [0])        // X̂, from the last forward
    private var columnGradient = Tensor(shape: [0]) // dX̂
    private var preactivation = Tensor(shape: [0])  // z, kept only when f needs it
    private var dz = Tensor(shape: [0])

    public var typeName: String { "Conv2D" }
    public var label: String {
        "Conv2D \(filters) \(kernelHeight)x\(kernelWidth)"
            + (strideY == 1 && strideX == 1 ? "" : " s\(strideY)x\(strideX)")
            + (padding == .valid ? "" : " same")
            + (activation == .linear ? "" : " \(activation.rawValue)")
    }
    public var parameters: [Parameter] { [weight, bias] }
    public var config: LayerConfig {
        .conv2d(filters: filters, kernel: [kernelHeight, kernelWidth], stride: [strideY, strideX],
                padding: padding, activation: activation)
    }

    /// The im2col product: (batch · output positions) × patch size × filters.
    public func largestProduct(batch: Int) -> Int {
        batch * geometry.outputHeight * geometry.outputWidth * geometry.patchSize * filters
    }

    /// One patch (kh·kw·channels) times the filters at every output position.
    public func multiplyAdds(batch: Int) -> Int { largestProduct(batch: batch) }

    /// A convolution with `filters` output channels. Throws when a size is below 1.
    public init(filters: Int, kernel: (height: Int, width: Int), stride: (y: Int, x: Int) = (1, 1),
                padding: Padding = .valid, activation: Activation = .linear) throws(ModelError) {
        for (field, value) in [("conv2d filters", filters), ("conv2d kernel height", kernel.height),
                               ("conv2d kernel width", kernel.width), ("conv2d stride", stride.y),
                               ("conv2d stride", stride.x)] where value < 1 {
            throw .invalidOption(field: field, expected: "an integer ≥ 1", got: "\(value)")
        }
        try ModelLimits.checkTensor("Conv2D \(kernel.height)×\(kernel.width)×\(filters)", [kernel.height, kernel.width, filters])
        self.filters = filters
        (kernelHeight, kernelWidth) = kernel
        (strideY, strideX) = stride
        self.padding = padding
        self.activation = activation
        weight = Parameter(name: "w", value: Tensor(shape: [0, filters]), isRegularized: true)
        bias = Parameter(name: "b", value: Tensor(shape: [filters]), isRegularized: false)
    }

    public func build(inputShape: [Int], rng: inout SeededGenerator) throws(ModelError) -> [Int] {
        guard inputShape.count == 3, let g = ConvolutionGeometry(
            input: inputShape, kernel: (kernelHeight, kernelWidth), stride: (strideY, strideX),
            padding: padding) else {
            throw .shapeMismatch(layer: label,
                                 expected: "(None, height, width, channels) with height ≥ \(kernelHeight), width ≥ \(kernelWidth)",
                                 got: Tensor.describeBatched(inputShape))
        }
        geometry = g
        let fanIn = Float(g.patchSize), fanOut = Float(kernelHeight * kernelWidth * filters)
        let limit = [.relu, .leakyrelu, .gelu].contains(activation)
            ? (6 / fanIn).squareRoot() : (6 / (fanIn + fanOut)).squareRoot()
        try ModelLimits.checkTensor(label, [g.patchSize, filters])
        var w = Tensor(shape: [g.patchSize, filters])
        for i in 0..<w.count { w.scalars[i] = rng.uniform(-limit, limit) }
        weight.value = w
        weight.gradient = Tensor(shape: w.shape)
        bias.value = Tensor(shape: [filters])
        bias.gradient = Tensor(shape: [filters])
        return [g.outputHeight, g.outputWidth, filters]
    }

    public func forward(_ x: Tensor, into y: inout Tensor, training: Bool) {
        let n = x.rows
        geometry.im2col(x, into: &columns)
        y.resize(n, geometry.outputHeight, geometry.outputWidth, filters)
        try! matmul(columns, weight.value, into: &y, keepingShape: true)   // (n·Ho·Wo, F) in (n, Ho, Wo, F)
        let f = filters
        y.scalars.withUnsafeMutableBufferPointer { yp in
            bias.value.scalars.withUnsafeBufferPointer { b in
                if activation.needsInput {    // keep z = X̂ K + b for the backward pass
                    Kernels.map(yp, addingRow: b, columns: f) { $0 }
                } else {                      // bias and activation in one pass
                    activation.apply(yp, addingRow: b, columns: f)
                }
            }
        }
        if activation.needsInput {
            preactivation.assign(y)
            y.scalars.withUnsafeMutableBufferPointer { activation.apply($0, columns: f) }
        }
    }

    public func backward(_ x: Tensor, _ y: Tensor, _ dy: Tensor, into dx: inout Tensor,
                         needsInputGradient: Bool) {
        let rows = dy.count / filters
        dz.resize(rows, filters)
        let z = activation.needsInput ? preactivation : y
        activation.gradient(z: z, y: y, dy: dy, into: &dz, columns: filters)
        try! matmul(columns, dz, transposeA: true, into: &weight.gradient)
        dz.sumRows(into: &bias.gradient)
        guard needsInputGradient else { return }
        try! matmul(dz, weight.value, transposeB: true, into: &columnGradient)
        geometry.col2im(columnGradient, into: &dx, batch: x.rows)
    }
}
