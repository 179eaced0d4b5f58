import CKernels
import Foundation
import Testing
@testable import TensorCore

/// The lane kernels that stand in for libm: their error against the double-precision function.
@Suite struct ActivationKernelTests {
    /// CKernels' erf of each value.
    static func erf(_ x: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: x.count)
        descent_erf(x, &y, x.count)
        return y
    }

    @Test func erfIsWithinHalfAMillionthOfTheExactOne() {
        let xs = (0...120_000).map { Float(-6 + 12 * Double($0) / 120_000) }
        let ys = Self.erf(xs)
        var worst = 0.0
        for (x, y) in zip(xs, ys) { worst = max(worst, abs(Double(y) - Foundation.erf(Double(x)))) }
        #expect(worst < 5e-7, "worst \(worst)")
        #expect(Self.erf([0, 9, -9]) == [0, 1, -1])
        #expect(Self.erf([.nan])[0].isNaN)
    }

    @Test func tanhIsWithinItsStatedBound() {
        var worst = 0.0
        for i in 0...120_000 {
            let x = -10 + 20 * Double(i) / 120_000
            let f = Float(x)
            worst = max(worst, abs(Double(Kernels.tanh(f)) - Foundation.tanh(Double(f))))
        }
        #expect(worst < 3.8e-7, "worst \(worst)")
    }
}

@Suite struct ExpKernelTests {
    @Test func expIsWithinTwoUlpOnItsRange() {
        let xs = (0...100_000).map { Float(-87 + 175 * Double($0) / 100_000) } + [0, -200, 200]
        var ys = [Float](repeating: 0, count: xs.count)
        descent_exp(xs, &ys, xs.count)
        var worst: Float = 0
        for (x, y) in zip(xs, ys).dropLast(3) {
            let exact = Foundation.exp(Double(x))
            worst = max(worst, Float(abs(Double(y) - exact)) / Float(exact).ulp)
        }
        #expect(worst <= 2, "worst \(worst) ulp")
        #expect(ys[ys.count - 3] == 1)
        #expect(ys[ys.count - 2] < 1e-37)
        #expect(ys[ys.count - 1].isFinite)
    }
}
