import Foundation
import TensorCore
import NeuralEngine

/// The training loss J(w, b) of a model with exactly two trainable scalars (`model linear` on
/// one feature: ŷ = w·x + b; a one-input logistic model), over a window of the (w, b) plane:
/// what the contour view draws under the optimizer's path.
///
/// J is the training objective at each grid point, on the whole training split (loss plus the
/// regularizer's penalty), computed on a copy of the model, never the training one. The window
/// holds the path and the minimum with a margin. For mean squared error the minimum is exact,
///
///     w* = Sxy / (Sxx + n λ),   b* = ȳ − w* x̄     (S: centred sums; λ of an L2 penalty, else 0)
///
/// otherwise it is the lowest grid point, which may lie on the window's edge (a logistic model on
/// separable data has its minimum at infinity).
public struct LossSurface: Equatable, Sendable {
    public var wRange: ClosedRange<Double>
    public var bRange: ClosedRange<Double>
    /// J at each grid point: row 0 is the top (the largest b), columns go left to right (w).
    public var values: [[Double]]
    public var minimum: Point
    /// Whether `minimum` is exact (closed form) rather than the lowest grid point.
    public var minimumIsExact: Bool

    public struct Point: Equatable, Sendable {
        public var w: Double
        public var b: Double
        public var loss: Double
    }

    /// Whether every point lies inside the window, away from its edges (a surface still good for
    /// a path that has moved on).
    public func holds(_ points: [(w: Double, b: Double)]) -> Bool {
        let wMargin = (wRange.upperBound - wRange.lowerBound) * 0.05, bMargin = (bRange.upperBound - bRange.lowerBound) * 0.05
        return points.allSatisfy { p in
            !p.w.isFinite || !p.b.isFinite
                || (p.w > wRange.lowerBound + wMargin && p.w < wRange.upperBound - wMargin
                    && p.b > bRange.lowerBound + bMargin && p.b < bRange.upperBound - bMargin)
        }
    }

    /// Whether the window is over four times as wide or tall as one made for `points` (a
    /// divergence's blow-up left the path: the sane part would sit in one cell).
    public func dwarfs(_ points: [(w: Double, b: Double)]) -> Bool {
        let extent = points + (minimumIsExact ? [(w: minimum.w, b: minimum.b)] : [])
        let (w, b) = Self.window(around: extent.isEmpty ? [(0, 0)] : extent)
        return wRange.upperBound - wRange.lowerBound > 4 * (w.upperBound - w.lowerBound)
            || bRange.upperBound - bRange.lowerBound > 4 * (b.upperBound - b.lowerBound)
    }

    /// Whether the model described by `architecture` has exactly two trainable scalars.
    public static func applies(to architecture: ModelArchitecture?) -> Bool {
        guard let architecture, let model = try? Sequential(architecture.layers) else { return false }
        var rng = SeededGenerator(seed: 0)
        guard (try? model.build(inputShape: architecture.inputShape, rng: &rng)) != nil else { return false }
        return model.parameterCount == 2 && model.parameters.count == 2
    }

    /// J over a `columns × rows` grid around `points` (the path) for the model `architecture`
    /// with `loss` and `regularizer`, trained on `x`, `y`; nil unless it has two scalars.
    public static func compute(architecture: ModelArchitecture, loss kind: LossKind, regularizer: Regularizer?,
                               x: Tensor, y: Tensor, around points: [(w: Double, b: Double)],
                               columns: Int = 64, rows: Int = 32) -> LossSurface? {
        guard let objective = objective(architecture: architecture, loss: kind, regularizer: regularizer, x: x, y: y) else {
            return nil
        }
        let exact = kind == .mse && architecture.layers == [.dense(units: 1, activation: .linear)]
            ? leastSquares(x: x, y: y, regularizer: regularizer) : nil
        let extent = points + (exact.map { [$0] } ?? [])
        let (wRange, bRange) = window(around: extent.isEmpty ? [(0, 0)] : extent)
        var values: [[Double]] = []
        var lowest = Point(w: .nan, b: .nan, loss: .infinity)
        for r in 0..<rows {
            let bv = bRange.upperBound - (Double(r) + 0.5) / Double(rows) * (bRange.upperBound - bRange.lowerBound)
            values.append((0..<columns).map { c in
                let wv = wRange.lowerBound + (Double(c) + 0.5) / Double(columns) * (wRange.upperBound - wRange.lowerBound)
                let j = objective(wv, bv)
                if j < lowest.loss { lowest = Point(w: wv, b: bv, loss: j) }
                return j
            })
        }
        let minimum = exact.map { Point(w: $0.w, b: $0.b, loss: objective($0.w, $0.b)) } ?? lowest
        return LossSurface(wRange: wRange, bRange: bRange, values: values, minimum: minimum, minimumIsExact: exact != nil)
    }

    /// J(w, b) on `x`, `y` for a copy of the model `architecture` describes; nil unless it has
    /// exactly two trainable scalars.
    public static func objective(architecture: ModelArchitecture, loss kind: LossKind, regularizer: Regularizer?,
                                 x: Tensor, y: Tensor) -> ((Double, Double) -> Double)? {
        var rng = SeededGenerator(seed: 0)
        guard let model = try? Sequential(architecture, rng: &rng), model.parameterCount == 2,
              model.parameters.count == 2, x.rows == y.rows, x.rows > 0 else { return nil }
        let loss = kind.makeLoss()
        model.prepare(for: loss)
        let w = model.parameters[0], b = model.parameters[1]
        return { wv, bv in
            w.value.scalars[0] = Float(wv)
            b.value.scalars[0] = Float(bv)
            guard let output = try? model.forward(x, training: false) else { return .nan }
            return Double(loss.loss(output, y)) + Double(regularizer?.penalty(model.parameters) ?? 0)
        }
    }

    /// The box around `points` with a 30 % margin on each side, at least 1 wide in each direction.
    static func window(around points: [(w: Double, b: Double)]) -> (ClosedRange<Double>, ClosedRange<Double>) {
        func range(_ values: [Double]) -> ClosedRange<Double> {
            let finite = values.filter(\.isFinite)
            let lo = finite.min() ?? -1, hi = finite.max() ?? 1
            let span = max(hi - lo, 1)
            let mid = (lo + hi) / 2
            return (mid - span * 0.8)...(mid + span * 0.8)
        }
        return (range(points.map(\.w)), range(points.map(\.b)))
    }

    /// Ordinary least squares (with an L2 penalty on w) for ŷ = w x + b on one feature.
    static func leastSquares(x: Tensor, y: Tensor, regularizer: Regularizer?) -> (w: Double, b: Double)? {
        guard x.columns == 1, y.columns == 1 else { return nil }
        if case .l1? = regularizer { return nil }
        let n = Double(x.rows)
        let xs = x.scalars.map(Double.init), ys = y.scalars.map(Double.init)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0
        for (a, b) in zip(xs, ys) { sxx += (a - mx) * (a - mx); sxy += (a - mx) * (b - my) }
        let lambda = regularizer.map { Double($0.strength) } ?? 0
        guard sxx + n * lambda > 0 else { return nil }
        let w = sxy / (sxx + n * lambda)
        return (w, my - w * mx)
    }
}
