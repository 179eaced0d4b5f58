/// The built-in toy datasets a learner can generate with `data KIND`.
///
/// Every kind adds Gaussian noise whose standard deviation is `noise · S`, where S is a length
/// natural to that kind (given below), so `noise = 0.1` is mild and `noise = 0.5` hard for all of
/// them. The same seed with a different `noise` draws the same clean points: only the jitter grows.
/// Classification kinds give every class the same number of points (±1 when n does not divide),
/// label each point by the region it was drawn from (so noise makes classes overlap, rather than
/// relabelling points as TensorFlow Playground does), and shuffle the rows.
public enum SyntheticKind: String, CaseIterable, Sendable, Codable {
    /// Class 0: a disk, r ~ U(0, R/2); class 1: a ring, r ~ U(0.7R, R); angle ~ U(0, 2π);
    /// point (r sin θ, r cos θ) + N(0, (noise·S)²) per coordinate, R = 5, S = R/2 = 2.5.
    case circle
    /// |x|, |y| ~ U(0, 5) + 0.3 (a padding gap around the axes), random signs; class 1 where
    /// x·y > 0 (quadrants I, III), class 0 where x·y < 0; + N(0, (noise·S)²), S = 2.5.
    case xor
    /// Two Gaussian blobs: class 0 around (−2, −2), class 1 around (2, 2), per-coordinate
    /// deviation √(1 + (noise·S)²) — the blob's own unit spread plus the noise — with S = 4.
    case gauss
    /// Two interleaved arms, for i in 0..<m (m points per arm): r = 5·i/m,
    /// t = 1.75 · 2π · i/m + δ (δ = 0 for class 0, π for class 1),
    /// point (r sin t, r cos t) + N(0, (noise·S)²), S = 1 (arms are ≈ 1.4 apart).
    case spiral
    /// scikit-learn's make_moons: class 0 (cos t, sin t), class 1 (1 − cos t, 0.5 − sin t),
    /// t evenly spaced on [0, π]; + N(0, (noise·S)²), S = 1 (the moons' radius).
    case moons
    /// k Gaussian clusters (`classes`, default 3) with centres R(cos φⱼ, sin φⱼ),
    /// φⱼ = π/2 + 2πj/k, R = 5. With d = 2R sin(π/k) the distance between neighbouring centres,
    /// per-coordinate deviation √((d/6)² + (noise·S)²), S = d/2, so difficulty does not depend on k.
    case blobs
    /// Regression, 1 feature: y = a·x + b + N(0, (noise·S)²), x ~ U(−1, 1), a = 2, b = 1,
    /// S = |a| = 2 (half the range of a·x).
    case linear
    /// Regression, 2 features: y = w₁x₁ + w₂x₂ + b + N(0, (noise·S)²), xᵢ ~ U(−1, 1),
    /// w = (2, −1), b = 0.5, S = |w₁| + |w₂| = 3 (half the range of w·x).
    case plane
    /// Regression, 1 feature: y = sin(x) + N(0, (noise·S)²), x ~ U(−π, π), S = 1.
    case sine

    /// True for the kinds whose targets are class labels.
    public var isClassification: Bool {
        switch self {
        case .circle, .xor, .gauss, .spiral, .moons, .blobs: return true
        case .linear, .plane, .sine: return false
        }
    }

    /// The number of feature columns generated.
    public var featureCount: Int {
        switch self {
        case .linear, .sine: return 1
        default: return 2
        }
    }

    /// Points generated when `SyntheticOptions.n` is not given: 400 for the 2-D classification
    /// sets (dense enough for a scatter), 100 for `linear` (a readable fit and loss contour),
    /// 200 for `plane` and `sine`.
    public var defaultCount: Int {
        switch self {
        case .circle, .xor, .gauss, .spiral, .moons, .blobs: return 400
        case .linear: return 100
        case .plane, .sine: return 200
        }
    }

    /// Noise used when `SyntheticOptions.noise` is not given: 0.1 (mild) for every kind, since
    /// each kind's scale S is chosen so that 0.1 means the same thing everywhere.
    public var defaultNoise: Double { 0.1 }
}

/// The true parameters behind the regression kinds, so lessons can compare what a model learned.
public enum SyntheticTruth {
    /// `linear`: y = slope·x + intercept + noise.
    public static let linearSlope: Float = 2
    /// `linear`: y = slope·x + intercept + noise.
    public static let linearIntercept: Float = 1
    /// `plane`: y = w₁x₁ + w₂x₂ + b + noise.
    public static let planeWeights: [Float] = [2, -1]
    /// `plane`: y = w₁x₁ + w₂x₂ + b + noise.
    public static let planeBias: Float = 0.5
}

/// Options for `Dataset.synthetic(_:options:rng:)`; `nil` means the kind's default.
public struct SyntheticOptions: Equatable, Sendable {
    /// Number of points, 2 … 1 000 000 and at least one per class; default `kind.defaultCount`.
    public var n: Int?
    /// Noise deviation in units of the kind's scale S, ≥ 0; default `kind.defaultNoise`.
    public var noise: Double?
    /// Number of clusters for `blobs`, 2 … 10; other kinds ignore it.
    public var classes: Int

    /// The most points a synthetic set may have, so a typo cannot exhaust memory.
    public static let maximumCount = 1_000_000
    /// The fewest and most clusters `blobs` accepts.
    public static let blobClasses = 2...10

    public init(n: Int? = nil, noise: Double? = nil, classes: Int = 3) {
        self.n = n
        self.noise = noise
        self.classes = classes
    }
}
