import Datasets
import Foundation
import TensorCore
import Testing

@Suite("Synthetic regression: least squares recovers the true parameters")
struct RegressionRecoveryTests {
    @Test("linear: least squares recovers a = 2 and b = 1 within the noise")
    func linearRecovery() throws {
        let data = try generate(.linear, noise: 0.1)
        let x = data.features.scalars.map(Double.init), y = data.targets.scalars.map(Double.init)
        let (a, b) = leastSquaresLine(x: x, y: y)
        // Standard error of a is σ/(√n·sd(x)) = 0.2/(10·0.58) ≈ 0.035; allow about 4 of them.
        #expect(abs(a - Double(SyntheticTruth.linearSlope)) < 0.15)
        #expect(abs(b - Double(SyntheticTruth.linearIntercept)) < 0.1)
    }

    @Test("linear without noise is exactly y = 2x + 1")
    func linearExact() throws {
        let data = try generate(.linear, noise: 0)
        for (x, y) in zip(data.features.scalars, data.targets.scalars) {
            #expect(abs(y - (2 * x + 1)) < 1e-5)
            #expect(x >= -1 && x < 1)
        }
    }

    @Test("linear residuals have deviation noise·2")
    func linearNoiseScale() throws {
        let data = try generate(.linear, n: 5000, noise: 0.25)
        let residuals = zip(data.features.scalars, data.targets.scalars).map { x, y in y - (2 * x + 1) }
        #expect(abs(meanAndDeviation(residuals).deviation - 0.5) < 0.03)
    }

    @Test("plane: least squares recovers w = (2, −1) and b = 0.5")
    func planeRecovery() throws {
        let data = try generate(.plane, n: 1000, noise: 0.1)
        var xtx = [[Double]](repeating: [0, 0, 0], count: 3), xty = [Double](repeating: 0, count: 3)
        for r in 0..<data.count {
            let v = row(data.features, r).map(Double.init) + [1]
            let y = Double(data.targets.scalars[r])
            for i in 0..<3 {
                xty[i] += v[i] * y
                for j in 0..<3 { xtx[i][j] += v[i] * v[j] }
            }
        }
        let w = solve(xtx, xty)
        let truth = SyntheticTruth.planeWeights.map(Double.init) + [Double(SyntheticTruth.planeBias)]
        for (estimate, value) in zip(w, truth) { #expect(abs(estimate - value) < 0.1) }
    }

    @Test("sine: y − sin(x) has deviation ≈ noise, x spans [−π, π]")
    func sineResiduals() throws {
        let data = try generate(.sine, n: 4000, noise: 0.2)
        let residuals = zip(data.features.scalars, data.targets.scalars).map { x, y in y - sin(x) }
        let (mean, deviation) = meanAndDeviation(residuals)
        #expect(abs(mean) < 0.02 && abs(deviation - 0.2) < 0.02)
        #expect(data.features.scalars.allSatisfy { $0 >= -.pi && $0 < .pi })
    }

    /// Slope and intercept minimising Σ(y − a·x − b)².
    private func leastSquaresLine(x: [Double], y: [Double]) -> (a: Double, b: Double) {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let a = sxy / sxx
        return (a, my - a * mx)
    }

    /// Solves A·w = b by Gaussian elimination with partial pivoting.
    private func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        var m = zip(a, b).map { $0 + [$1] }
        let n = b.count
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            for r in 0..<n where r != col {
                let f = m[r][col] / m[col][col]
                for c in col...n { m[r][c] -= f * m[col][c] }
            }
        }
        return (0..<n).map { m[$0][n] / m[$0][$0] }
    }
}
