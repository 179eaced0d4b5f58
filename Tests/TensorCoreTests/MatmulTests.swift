import Testing
import Foundation
import CKernels
@testable import TensorCore

@Suite struct MatmulTests {
    /// Reference product by the definition C[i,j] = Σ_k A[i,k]·B[k,j].
    func naive(_ a: [[Float]], _ b: [[Float]]) -> [[Float]] {
        a.map { row in (0..<b[0].count).map { j in zip(row, b.map { $0[j] }).reduce(0) { $0 + $1.0 * $1.1 } } }
    }

    func transpose(_ a: [[Float]]) -> [[Float]] {
        (0..<a[0].count).map { j in a.map { $0[j] } }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matchesDefinition(transposeA: Bool, transposeB: Bool) throws {
        var rng = SeededGenerator(seed: 7)
        let a = (0..<3).map { _ in (0..<4).map { _ in rng.uniform(-1, 1) } }   // 3x4
        let b = (0..<4).map { _ in (0..<5).map { _ in rng.uniform(-1, 1) } }   // 4x5
        let storedA = transposeA ? transpose(a) : a
        let storedB = transposeB ? transpose(b) : b
        let c = try matmul(Tensor(rows: storedA), Tensor(rows: storedB),
                           transposeA: transposeA, transposeB: transposeB)
        #expect(c.shape == [3, 5])
        let expected = naive(a, b).flatMap { $0 }
        for (x, y) in zip(c.scalars, expected) { #expect(abs(x - y) < 1e-5) }
    }

    /// Sizes that are no multiple of any kernel's tile (edges and remainders), so the kernel
    /// OpenBLAS runs (chosen again on CPUs it does not know) is checked where it packs and tiles.
    @Test func matchesDefinitionAtUnevenSizes() throws {
        var rng = SeededGenerator(seed: 11)
        let a = (0..<67).map { _ in (0..<131).map { _ in rng.uniform(-1, 1) } }
        let b = (0..<131).map { _ in (0..<53).map { _ in rng.uniform(-1, 1) } }
        let c = try matmul(Tensor(rows: a), Tensor(rows: b))
        for (x, y) in zip(c.scalars, naive(a, b).flatMap { $0 }) { #expect(abs(x - y) < 1e-4) }
    }

    /// OpenBLAS 0.3.21 runs its SSE3 baseline (`Prescott`) on CPUs newer than it knows; where
    /// this CPU has AVX2 and nobody chose the kernel (`OPENBLAS_CORETYPE`), Descent chooses again.
    @Test func runsAKernelForThisCPU() {
        let kernel = BLAS.kernel
        guard descent_has_avx2() == 1, ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil else { return }
        #expect(kernel.lowercased() != "prescott", "OpenBLAS runs \(kernel) on a CPU with AVX2")
    }

    @Test func accumulatesWithBeta() throws {
        let a = try Tensor(rows: [[1, 2], [3, 4]])
        let i = try Tensor(rows: [[1, 0], [0, 1]])
        var c = try Tensor(rows: [[10, 10], [10, 10]])
        try matmul(a, i, into: &c, alpha: 2, beta: 1)
        #expect(c.scalars == [12, 14, 16, 18])
    }

    @Test func innerMismatchNamesShapes() throws {
        let a = Tensor(shape: [2, 3]), b = Tensor(shape: [4, 2])
        #expect(throws: TensorError.self) { try matmul(a, b) }
        do { _ = try matmul(a, b) } catch { #expect("\(error)".contains("(2, 3)") && "\(error)".contains("(4, 2)")) }
    }

    @Test func blasRunsOnOneThreadByDefault() {
        #expect(BLAS.threads == BLAS.defaultThreads)
    }
}

@Suite struct GeneratorTests {
    @Test func sameSeedSameSequence() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        #expect(sa == (0..<100).map { _ in b.next() })
        #expect(sa != (0..<100).map { _ in c.next() })
    }

    @Test func uniformAndNormalMoments() {
        var g = SeededGenerator(seed: 1)
        let u = (0..<20000).map { _ in g.uniform() }
        #expect(u.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(u.reduce(0, +) / 20000 - 0.5) < 0.01)
        let n = (0..<20000).map { _ in g.normal() }
        let mean = n.reduce(0, +) / 20000
        let variance = n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 20000
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
    }
}

@Suite struct TensorTests {
    @Test func shapeErrorsAreTyped() {
        #expect(throws: TensorError.self) { try Tensor(shape: [2, 2], scalars: [1, 2, 3]) }
    }

    @Test func gatherAndReductions() throws {
        let t = try Tensor(rows: [[1, 2], [3, 4], [5, 6]])
        #expect(t.gatherRows([2, 0]).scalars == [5, 6, 1, 2])
        #expect(t.sum() == 21)
        #expect(t.argmaxPerRow() == [1, 1, 1])
        var s = Tensor(shape: [0])
        t.sumRows(into: &s)
        #expect(s.scalars == [9, 12])
        #expect(t[1, 0] == 3)
    }
}
