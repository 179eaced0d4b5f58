import Testing
@testable import NeuralEngine

@Suite struct MetricsTests {
    /// Worked by hand: truth 0 0 0 1 1 2, predicted 0 1 0 1 1 1 (class 2 never predicted).
    ///     counts = [[2,1,0],[0,2,0],[0,1,0]]
    @Test func handWorkedConfusion() {
        let m = ConfusionMatrix(truth: [0, 0, 0, 1, 1, 2], predicted: [0, 1, 0, 1, 1, 1], classes: 3)
        #expect(m.counts == [[2, 1, 0], [0, 2, 0], [0, 1, 0]])
        #expect(abs(m.accuracy - 4.0 / 6) < 1e-12)
        #expect(m.precision(0) == 1 && abs(m.recall(0) - 2.0 / 3) < 1e-12)
        #expect(m.precision(1) == 0.5 && m.recall(1) == 1)
        #expect(abs(m.f1(1) - 2 * 0.5 / 1.5) < 1e-12)
        // Class 2 never predicted: precision, recall and F1 are defined as 0, not NaN.
        #expect(m.precision(2) == 0 && m.recall(2) == 0 && m.f1(2) == 0)
        #expect(abs(m.macroPrecision - 0.5) < 1e-12)
        #expect(abs(m.macroRecall - (2.0 / 3 + 1 + 0) / 3) < 1e-12)
        #expect(abs(m.macroF1 - (0.8 + 2.0 / 3 + 0) / 3) < 1e-12)
    }

    @Test func emptyMatrixHasNoNaN() {
        let m = ConfusionMatrix(classes: 2)
        #expect(m.accuracy == 0 && m.macroF1 == 0)
    }

    @Test func regression() {
        let r = RegressionMetrics(predicted: [1, 2, 4], truth: [1, 3, 3])
        #expect(abs(r.mse - 2.0 / 3) < 1e-12 && abs(r.mae - 2.0 / 3) < 1e-12)
        // ȳ = 7/3; Σ(y−ȳ)² = 16/9 + 4/9 + 4/9 = 24/9; R² = 1 − 2/(24/9) = 0.25
        #expect(abs(r.r2 - 0.25) < 1e-9)
        #expect(RegressionMetrics(predicted: [2, 2], truth: [2, 2]).r2 == 1)
        #expect(RegressionMetrics(predicted: [1, 2], truth: [2, 2]).r2 == 0)
    }
}
