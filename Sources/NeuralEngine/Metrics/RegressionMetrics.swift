/// Regression metrics of predictions ŷ against truth y over n values.
///
///     MSE = 1/n Σ (ŷ − y)²     MAE = 1/n Σ |ŷ − y|     R² = 1 − Σ (ŷ − y)² / Σ (y − ȳ)²
///
/// When y is constant (Σ (y − ȳ)² = 0), R² is 1 for a perfect fit and 0 otherwise
/// (scikit-learn's convention), never NaN.
public struct RegressionMetrics: Equatable, Sendable, Codable {
    public var mse: Double
    public var mae: Double
    public var r2: Double

    public init(predicted: [Float], truth: [Float]) {
        let n = Double(max(truth.count, 1))
        var se = 0.0, ae = 0.0, mean = 0.0
        for y in truth { mean += Double(y) }
        mean /= n
        var total = 0.0
        for (p, y) in zip(predicted, truth) {
            let d = Double(p) - Double(y)
            se += d * d
            ae += abs(d)
            total += (Double(y) - mean) * (Double(y) - mean)
        }
        mse = se / n
        mae = ae / n
        r2 = total == 0 ? (se == 0 ? 1 : 0) : 1 - se / total
    }
}
