import CBLAS
import CKernels

/// OpenBLAS settings shared by every product.
public enum BLAS {
    /// OpenBLAS's thread pool busy-waits between calls: with its default of one thread per core a
    /// trainer that sleeps between steps still burned 100 % CPU here (shared/NOTES.md), and the
    /// per-step products of the models a learner trains are small. So Descent runs BLAS on one
    /// thread unless `threads(forProduct:)` says a product is large enough for two.
    public static let defaultThreads = 1

    /// Products with m·n·k at or above this get two threads (W1's 128 × 784 × 256 = 25.7 M
    /// trained 1.59x faster on two idle cores; W2's 21,632 × 9 × 32 = 6.2 M and everything
    /// smaller gained nothing; Docs/performance.md "Threads").
    public static let twoThreadProduct = 1 << 24

    /// The OpenBLAS threads worth using for products of m·n·k = `product`: 2 for large products
    /// when the process may run on two or more CPUs, else 1. Never more than 2: the UI thread
    /// needs a core's slice too. A function of the product alone, so the same model gets the
    /// same thread count (and the same bits: OpenBLAS's two-thread results differ in the last
    /// bits from one thread's) every time on a given machine.
    public static func threads(forProduct product: Int) -> Int {
        product >= twoThreadProduct && availableCPUs >= 2 ? 2 : 1
    }

    /// CPUs this process may run on (its affinity mask), at least 1.
    public static let availableCPUs = Int(descent_available_cpus())

    /// Whether Descent chose OpenBLAS's kernel again (`descent_blas_choose_kernel`: OpenBLAS
    /// fell back to its baseline on a CPU newer than it knows).
    public static var kernelChosenAgain: Bool { configured }

    /// Run once, before the first product: the kernel, then the thread count. True when the
    /// kernel was chosen again.
    private static let configured: Bool = {
        let again = descent_blas_choose_kernel() == 1
        openblas_set_num_threads(Int32(defaultThreads))
        return again
    }()

    /// OpenBLAS's kernel ("SkylakeX", "Haswell"…), as every product runs it: benchmark tables
    /// name it, since the same binary's speed differs by it.
    public static var kernel: String {
        ensureConfigured()
        return String(cString: descent_blas_kernel())
    }

    /// Applies the kernel choice and the default thread count once; every `matmul` calls this first.
    @inline(__always) public static func ensureConfigured() { _ = configured }

    /// Sets the number of OpenBLAS threads for all later products.
    public static func setThreads(_ n: Int) {
        ensureConfigured()
        openblas_set_num_threads(Int32(max(1, n)))
    }

    /// The number of threads OpenBLAS will use.
    public static var threads: Int {
        ensureConfigured()
        return Int(openblas_get_num_threads())
    }
}

/// C = alpha · op(A) · op(B) + beta · C on raw row-major buffers, where op(X) is X or Xᵀ.
///
/// `m × k` is op(A)'s shape, `k × n` op(B)'s; `lda`, `ldb`, `ldc` are the row strides of the
/// stored (untransposed) matrices. This is the single entry point to `cblas_sgemm`: Dense layers,
/// convolution (im2col) and recurrent layers all multiply through it.
@inline(__always)
public func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                 alpha: Float, a: UnsafePointer<Float>, lda: Int,
                 b: UnsafePointer<Float>, ldb: Int,
                 beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    BLAS.ensureConfigured()
    guard m > 0, n > 0 else { return }
    cblas_sgemm(CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k),
                alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// C = alpha · op(A) · op(B) + beta · C for tensors seen as matrices `[rows, columns]`.
///
/// Transposes are passed to BLAS, never materialised. `c` is resized to `m × n` when its shape
/// differs (then `beta` must be 0); with `keepingShape`, a `c` of m·n elements keeps its own
/// shape (a convolution writes its `(n·Ho·Wo, F)` product straight into its `(n, Ho, Wo, F)`
/// output). Throws, naming both shapes, when the inner dimensions disagree.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                   into c: inout Tensor, alpha: Float = 1, beta: Float = 0, keepingShape: Bool = false) throws {
    let (ar, ac) = (a.rows, a.columns)
    let (br, bc) = (b.rows, b.columns)
    let (m, k) = transposeA ? (ac, ar) : (ar, ac)
    let (k2, n) = transposeB ? (bc, br) : (br, bc)
    guard k == k2 else {
        throw TensorError.shapeMismatch(
            "matmul of \(Tensor.describe(a.shape))\(transposeA ? "ᵀ" : "") and "
            + "\(Tensor.describe(b.shape))\(transposeB ? "ᵀ" : ""): inner sizes \(k) and \(k2) differ")
    }
    if !(keepingShape && c.count == m * n), c.rank != 2 || c.shape[0] != m || c.shape[1] != n {
        precondition(beta == 0 || c.count == m * n, "matmul accumulate into wrong-sized output")
        c.resize(m, n)
    }
    if k == 0 {
        if beta == 0 { c.fill(0) } else { c.scale(by: beta) }
        return
    }
    a.scalars.withUnsafeBufferPointer { pa in
        b.scalars.withUnsafeBufferPointer { pb in
            c.scalars.withUnsafeMutableBufferPointer { pc in
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                     alpha: alpha, a: pa.baseAddress!, lda: ac,
                     b: pb.baseAddress!, ldb: bc,
                     beta: beta, c: pc.baseAddress!, ldc: n)
            }
        }
    }
}

/// op(A) · op(B) as a new tensor.
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false,
                   transposeB: Bool = false) throws -> Tensor {
    var c = Tensor(shape: [0, 0])
    try matmul(a, b, transposeA: transposeA, transposeB: transposeB, into: &c)
    return c
}
