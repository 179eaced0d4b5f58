import TensorCore

/// Per-column standardisation, x′ = (x − μ) / σ, with μ and σ fitted on one feature matrix
/// (the training split) and then applied unchanged to others (validation, new inputs), so no
/// information leaks from held-out data.
///
/// σ is the population deviation √(Σ(x − μ)² / n), accumulated in Double. A column whose σ is
/// zero (below 1e-7 relative to its magnitude, i.e. constant up to Float rounding) keeps σ = 1:
/// it is centred to 0 but never divided by zero.
public struct Standardizer: Equatable, Sendable {
    /// μ, one per column.
    public let means: [Float]
    /// σ, one per column (1 for a zero-variance column).
    public let deviations: [Float]

    /// Fits μ and σ to the columns of a `[n, d]` matrix (an empty matrix gives μ = 0, σ = 1).
    public init(fitting features: Tensor) {
        let n = features.rows, d = features.columns
        var sums = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for c in 0..<d { sums[c] += Double(features.scalars[r * d + c]) }
        }
        let mu = sums.map { n == 0 ? 0 : $0 / Double(n) }
        var squares = [Double](repeating: 0, count: d)
        for r in 0..<n {
            for c in 0..<d {
                let e = Double(features.scalars[r * d + c]) - mu[c]
                squares[c] += e * e
            }
        }
        means = mu.map { Float($0) }
        deviations = zip(squares, mu).map { sq, m in
            let sigma = n == 0 ? 0 : (sq / Double(n)).squareRoot()
            return sigma <= 1e-7 * max(1, abs(m)) ? 1 : Float(sigma)
        }
    }

    /// A standardizer with given statistics (e.g. restored from a saved model).
    public init(means: [Float], deviations: [Float]) {
        precondition(means.count == deviations.count, "one mean and one deviation per column")
        self.means = means
        self.deviations = deviations
    }

    /// x ← (x − μ) / σ for every row of a `[n, d]` matrix with the fitted d; no allocation.
    public func apply(to features: inout Tensor) {
        let d = means.count
        precondition(features.columns == d || features.count == 0,
                     "standardizer fitted on \(d) columns applied to \(features.columns)")
        features.scalars.withUnsafeMutableBufferPointer { x in
            for i in x.indices {
                let c = i % d
                x[i] = (x[i] - means[c]) / deviations[c]
            }
        }
    }

    /// (x − μ) / σ as a new tensor.
    public func applied(to features: Tensor) -> Tensor {
        var out = features
        apply(to: &out)
        return out
    }

    /// The inverse, x = x′·σ + μ, e.g. to show standardised points in the units they came in.
    public func restored(_ standardized: Tensor) -> Tensor {
        var out = standardized
        let d = means.count
        precondition(out.columns == d || out.count == 0)
        out.scalars.withUnsafeMutableBufferPointer { x in
            for i in x.indices { x[i] = x[i] * deviations[i % d] + means[i % d] }
        }
        return out
    }
}

extension Dataset {
    /// The same samples with features standardised by `standardizer` (targets unchanged).
    public func standardized(by standardizer: Standardizer) -> Dataset {
        Dataset(unchecked: name, features: standardizer.applied(to: features), targets: targets,
                task: task, featureNames: featureNames, classNames: classNames, kind: kind)
    }
}

extension Dataset {
    /// The same samples with regression targets standardised by `standardizer` (fitted on one
    /// column of targets).
    public func standardizedTargets(by standardizer: Standardizer) -> Dataset {
        Dataset(unchecked: name, features: features, targets: standardizer.applied(to: targets),
                task: task, featureNames: featureNames, classNames: classNames, kind: kind)
    }
}
