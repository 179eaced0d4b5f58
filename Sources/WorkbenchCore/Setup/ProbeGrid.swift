import TensorCore
import Datasets

/// Points the model is evaluated on for pictures of what it learned: a grid over the plane for
/// 2-D classification (a decision boundary), or x values along the axis for 1-D regression (the
/// fitted curve). Points live in the model's standardised feature space; `xRange`/`yRange`
/// give the area they cover in the data's own units, for drawing.
public struct ProbeGrid: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case plane(columns: Int, rows: Int), line(count: Int) }

    public var kind: Kind
    /// The inputs, row-major (for a plane: row 0 is the top, largest y).
    public var points: Tensor
    /// Raw-unit ranges covered: x, and y for a plane.
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>

    /// A grid for `data`, or nil when it has no picture (not a table, more than 2 features, or 2-D
    /// regression).
    public init?(data: DataState, columns: Int = 64, rows: Int = 48) {
        let full = data.full
        let d = full.featureCount
        guard full.kind == .table, full.features.rank == 2 else { return nil }
        func range(_ feature: Int) -> ClosedRange<Double> {
            var lo = Double.infinity, hi = -Double.infinity
            for r in 0..<full.count {
                let v = Double(full.features.scalars[r * d + feature])
                lo = min(lo, v); hi = max(hi, v)
            }
            let pad = max((hi - lo) * 0.05, 1e-6)
            return (lo - pad)...(hi + pad)
        }
        let s = data.standardizer
        if full.task.classCount != nil, d == 2 {
            xRange = range(0); yRange = range(1)
            var t = Tensor(shape: [columns * rows, 2])
            for r in 0..<rows {
                let y = yRange.upperBound - (Double(r) + 0.5) / Double(rows) * (yRange.upperBound - yRange.lowerBound)
                for c in 0..<columns {
                    let x = xRange.lowerBound + (Double(c) + 0.5) / Double(columns) * (xRange.upperBound - xRange.lowerBound)
                    t.scalars[(r * columns + c) * 2] = (Float(x) - s.means[0]) / s.deviations[0]
                    t.scalars[(r * columns + c) * 2 + 1] = (Float(y) - s.means[1]) / s.deviations[1]
                }
            }
            kind = .plane(columns: columns, rows: rows)
            points = t
        } else if full.task.classCount == nil, d == 1 {
            xRange = range(0)
            var lo = Double.infinity, hi = -Double.infinity
            for v in full.targets.scalars { lo = min(lo, Double(v)); hi = max(hi, Double(v)) }
            yRange = lo...max(hi, lo + 1e-6)
            let count = 120
            var t = Tensor(shape: [count, 1])
            for i in 0..<count {
                let x = xRange.lowerBound + Double(i) / Double(count - 1) * (xRange.upperBound - xRange.lowerBound)
                t.scalars[i] = (Float(x) - s.means[0]) / s.deviations[0]
            }
            kind = .line(count: count)
            points = t
        } else {
            return nil
        }
    }

    /// The raw x of point `i` of a line probe.
    public func lineX(_ i: Int) -> Double {
        guard case .line(let count) = kind else { return 0 }
        return xRange.lowerBound + Double(i) / Double(max(count - 1, 1)) * (xRange.upperBound - xRange.lowerBound)
    }
}
