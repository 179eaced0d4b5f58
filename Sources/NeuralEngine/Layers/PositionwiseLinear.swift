import CKernels
import TensorCore

/// One affine map applied to every position of a batch of sequences (PyTorch's `nn.Linear` on
/// a (n, T, in) tensor): the rows of x are the n·T positions.
///
///     forward   Y = X W + b          X: (r, in)   W: (in, out)   b: (out)   Y: (r, out),  r = n·T
///     backward  dW = Xᵀ dY,   db = Σ_rows dY,   dX = dY Wᵀ   (written, or added to dX)
///
/// Not a layer of its own: the attention, the transformer block and the output head are built
/// from it. Both products go through `gemm` with the transposes passed to BLAS. Initialisation
/// is minGPT's (`GPT._init_weights`): W ~ N(0, 0.02²), b = 0.
final class PositionwiseLinear {
    let weight: Parameter
    let bias: Parameter?
    private(set) var inputs = 0
    private(set) var outputs = 0

    /// minGPT's standard deviation for every linear and embedding weight.
    static let initialDeviation: Float = 0.02

    /// Unsized until `build`; `biasName` nil makes a map without bias (a GPT's output head).
    init(weightName: String, biasName: String?) {
        weight = Parameter(name: weightName, value: Tensor(shape: [0, 0]), isRegularized: true)
        bias = biasName.map { Parameter(name: $0, value: Tensor(shape: [0]), isRegularized: false) }
    }

    var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    /// Sizes the weights for `inputs` → `outputs` features and draws them.
    func build(inputs: Int, outputs: Int, rng: inout SeededGenerator) {
        self.inputs = inputs
        self.outputs = outputs
        var w = Tensor(shape: [inputs, outputs])
        for i in 0..<w.count { w.scalars[i] = rng.normal(deviation: Self.initialDeviation) }
        weight.value = w
        weight.gradient = Tensor(shape: w.shape)
        if let bias {
            bias.value = Tensor(shape: [outputs])
            bias.gradient = Tensor(shape: [outputs])
        }
    }

    /// Y = X W + b over `rows` positions; `y` keeps its shape when it holds rows × out values
    /// (a (n, T, out) tensor), else becomes (rows, out).
    func forward(_ x: Tensor, rows: Int, into y: inout Tensor) {
        if y.count != rows * outputs { y.ensureShape(rows, outputs) }
        x.scalars.withUnsafeBufferPointer { xp in
            weight.value.scalars.withUnsafeBufferPointer { w in
                y.scalars.withUnsafeMutableBufferPointer { yp in
                    // With a bias, Y starts as b in every row and the product is added to it
                    // (beta 1): OpenBLAS then skips its pass that clears Y, and no pass adds b.
                    if let bias {
                        bias.value.scalars.withUnsafeBufferPointer { b in
                            descent_repeat_row(b.baseAddress, rows, outputs, yp.baseAddress)
                        }
                    }
                    gemm(transposeA: false, transposeB: false, m: rows, n: outputs, k: inputs,
                         alpha: 1, a: xp.baseAddress!, lda: inputs, b: w.baseAddress!, ldb: outputs,
                         beta: bias == nil ? 0 : 1, c: yp.baseAddress!, ldc: outputs)
                }
            }
        }
    }

    /// Writes dW and db from X and dY; when `dx` is given, writes dX = dY Wᵀ into it (or adds
    /// it, with `accumulate`).
    func backward(_ x: Tensor, _ dy: Tensor, rows: Int, into dx: UnsafeMutablePointer<Float>?,
                  accumulate: Bool = false) {
        dy.scalars.withUnsafeBufferPointer { g in
            x.scalars.withUnsafeBufferPointer { xp in
                weight.gradient.scalars.withUnsafeMutableBufferPointer { dw in
                    gemm(transposeA: true, transposeB: false, m: inputs, n: outputs, k: rows,
                         alpha: 1, a: xp.baseAddress!, lda: inputs, b: g.baseAddress!, ldb: outputs,
                         beta: 0, c: dw.baseAddress!, ldc: outputs)
                }
            }
            if let bias {
                bias.gradient.fill(0)
                bias.gradient.scalars.withUnsafeMutableBufferPointer { db in
                    Kernels.addColumnSums(g.baseAddress!, rows: rows, columns: outputs, into: db.baseAddress!)
                }
            }
            guard let dx else { return }
            weight.value.scalars.withUnsafeBufferPointer { w in
                gemm(transposeA: false, transposeB: true, m: rows, n: inputs, k: outputs,
                     alpha: 1, a: g.baseAddress!, lda: outputs, b: w.baseAddress!, ldb: outputs,
                     beta: accumulate ? 1 : 0, c: dx, ldc: inputs)
            }
        }
    }

    /// Multiply-adds of one forward pass over `rows` positions.
    func multiplyAdds(rows: Int) -> Int { rows * inputs * outputs }
}
