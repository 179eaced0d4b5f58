import Foundation
import Testing
@testable import TensorCore

/// The lane kernels that stand in for libm: their error against the double-precision function.
@Suite struct ActivationKernelTests {
    @Test func erfIsWithinHalfAMillionthOfTheExactOne() {
        var worst = 0.0
        for i in 0...120_000 {
            let x = -6 + 12 * Double(i) / 120_000
            let f = Float(x)
            worst = max(worst, abs(Double(Kernels.erf(f)) - Foundation.erf(Double(f))))
        }
        #expect(worst < 5e-7, "worst \(worst)")
        #expect(Kernels.erf(0) == 0 && Kernels.erf(9) == 1 && Kernels.erf(-9) == -1)
        #expect(Kernels.erf(.nan).isNaN)
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
        var worst: Float = 0
        for i in 0...100_000 {
            let x = Float(-87 + 175 * Double(i) / 100_000)
            let exact = Foundation.exp(Double(x))
            let ulp = Float(exact).ulp
            worst = max(worst, Float(abs(Double(Kernels.exp(Kernels.Lanes(repeating: x))[0]) - exact)) / ulp)
        }
        #expect(worst <= 2, "worst \(worst) ulp")
        #expect(Kernels.exp(Kernels.Lanes(repeating: 0))[0] == 1)
        #expect(Kernels.exp(Kernels.Lanes(repeating: -200))[0] < 1e-37)
        #expect(Kernels.exp(Kernels.Lanes(repeating: 200))[0].isFinite)
    }
}
