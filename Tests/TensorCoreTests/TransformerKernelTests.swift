import CKernels
import Testing
@testable import TensorCore

/// GELU, layer normalisation and attention are C compiled twice (baseline and AVX2, chosen at
/// run time, CKernels.h): both builds must give the same bits, or a trained model would depend on
/// the machine's instruction set. Sizes leave tails after the eight-lane blocks. (Where the CPU
/// lacks AVX2, `wide` 1 runs the baseline build again.) The layers' gradient checks are in
/// NeuralEngineTests.
@Suite struct TransformerKernelTests {
    static func values(_ count: Int, seed: UInt64, spread: Float = 3) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in rng.uniform(-spread, spread) }
    }

    /// The same computation in both builds.
    static func bothBuilds<T: Equatable>(_ run: (Int32) -> T) -> (T, T) { (run(0), run(1)) }

    @Test func geluBuildsAgree() {
        let z = Self.values(1_003, seed: 1), dy = Self.values(1_003, seed: 2)
        let (a, b) = Self.bothBuilds { wide -> [[Float]] in
            var y = [Float](repeating: 0, count: z.count), cdf = y, dz = y, dz2 = y
            descent_gelu_variant(wide, z, &y, &cdf, z.count)
            descent_gelu_backward_variant(wide, z, cdf, dy, &dz, z.count)
            descent_gelu_backward_variant(wide, z, nil, dy, &dz2, z.count)
            return [y, cdf, dz, dz2]
        }
        #expect(a == b)
        // y = z Φ(z): Φ(0) = ½, Φ → 1 far right, → 0 far left; and the cdf kept equals the one recomputed.
        #expect(a[2] == a[3])
        var y = [Float](repeating: 0, count: 3)
        descent_gelu([0, 10, -10], &y, nil, 3)
        #expect(y == [0, 10, 0])
    }

    @Test(arguments: [8, 20, 3])
    func layerNormBuildsAgree(width d: Int) {
        let rows = 13
        let x = Self.values(rows * d, seed: 3), dy = Self.values(rows * d, seed: 4)
        let gamma = Self.values(d, seed: 5), beta = Self.values(d, seed: 6), base = Self.values(rows * d, seed: 7)
        let (a, b) = Self.bothBuilds { wide -> [[Float]] in
            var h = [Float](repeating: 0, count: rows * d), y = h, r = [Float](repeating: 0, count: rows)
            descent_layer_norm_variant(wide, x, rows, d, 1e-5, gamma, beta, &h, &r, &y)
            var dg = [Float](repeating: 0, count: d), db = dg, dx = h, dxAdded = h
            descent_layer_norm_backward_variant(wide, dy, h, r, rows, d, gamma, &dg, &db, nil, &dx)
            descent_layer_norm_backward_variant(wide, dy, h, r, rows, d, gamma, &dg, &db, base, &dxAdded)
            return [h, y, r, dg, db, dx, dxAdded]
        }
        #expect(a == b)
        // `add` adds: the two dx differ by the base, up to rounding.
        for i in 0..<(rows * d) { #expect(abs(a[6][i] - (base[i] + a[5][i])) <= 1e-5) }
    }

    @Test(arguments: [(20, 2, true), (20, 2, false), (48, 3, true)])
    func attentionBuildsAgree(width d: Int, heads: Int, causal: Bool) {
        let n = 3, T = 7, stride = 3 * d
        let qkv = Self.values(n * T * stride, seed: 8, spread: 1), dO = Self.values(n * T * d, seed: 9)
        let scale = 1 / Float(d / heads).squareRoot()
        let (a, b) = Self.bothBuilds { wide -> [[Float]] in
            var weights = [Float](repeating: 0, count: n * heads * T * T), context = [Float](repeating: 0, count: n * T * d)
            var dqkv = [Float](repeating: .nan, count: qkv.count)
            var scratch = [Float](repeating: .nan, count: descent_attention_scratch_count(T, d, heads))
            descent_attention_forward_variant(wide, qkv, n, T, d, heads, causal ? 1 : 0, scale, &weights, &context, &scratch)
            descent_attention_backward_variant(wide, qkv, weights, dO, n, T, d, heads, causal ? 1 : 0, scale,
                                               &dqkv, &scratch)
            return [weights, context, dqkv]
        }
        #expect(a == b)
        // Each row of A sums to 1 and the masked half is 0.
        let weights = a[0]
        for row in 0..<(n * heads * T) {
            let t = row % T, values = weights[(row * T)..<(row * T + T)]
            #expect(abs(values.reduce(0, +) - 1) < 1e-5)
            if causal { #expect(values.dropFirst(t + 1).allSatisfy { $0 == 0 }) }
        }
        #expect(!a[2].contains { $0.isNaN })   // every gradient entry written
    }

    @Test(arguments: [48, 13])
    func biasRowKernelsAgree(columns: Int) {
        let rows = 9
        let x = Self.values(rows * columns, seed: 10), b = Self.values(columns, seed: 11)
        let (a, c) = Self.bothBuilds { wide -> [[Float]] in
            var sums = b, repeated = [Float](repeating: .nan, count: rows * columns)
            descent_add_column_sums_variant(wide, x, rows, columns, &sums)
            descent_repeat_row_variant(wide, b, rows, columns, &repeated)
            return [sums, repeated]
        }
        #expect(a == c)
        for j in 0..<columns {
            let expected = (0..<rows).reduce(b[j]) { $0 + x[$1 * columns + j] }   // row order, as documented
            #expect(a[0][j] == expected)
            #expect((0..<rows).allSatisfy { a[1][$0 * columns + j] == b[j] })
        }
    }
}
