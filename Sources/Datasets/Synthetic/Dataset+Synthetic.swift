import TensorCore

extension Dataset {
    /// A toy dataset of `kind`, the same for the same generator state (see `SyntheticKind` for
    /// each kind's formula, defaults and noise scale).
    ///
    /// Throws, naming the field, when `n` is outside 2 … 1 000 000 or below one point per
    /// class, when `noise` is negative or not finite, or when `blobs` gets `classes` outside 2 … 10.
    public static func synthetic(_ kind: SyntheticKind, options: SyntheticOptions = .init(),
                                 rng: inout SeededGenerator) throws(DatasetError) -> Dataset {
        let settings = try SyntheticSettings(kind: kind, options: options)
        let n = settings.count, noise = settings.noise
        var samples = SampleBuffer(width: kind.featureCount, capacity: n)
        switch kind {
        case .circle: ClassificationGenerators.circle(count: n, noise: noise, rng: &rng, into: &samples)
        case .xor: ClassificationGenerators.xor(count: n, noise: noise, rng: &rng, into: &samples)
        case .gauss: ClassificationGenerators.gauss(count: n, noise: noise, rng: &rng, into: &samples)
        case .spiral: ClassificationGenerators.spiral(count: n, noise: noise, rng: &rng, into: &samples)
        case .moons: ClassificationGenerators.moons(count: n, noise: noise, rng: &rng, into: &samples)
        case .blobs:
            ClassificationGenerators.blobs(count: n, classes: settings.classes, noise: noise,
                                           rng: &rng, into: &samples)
        case .linear: RegressionGenerators.linear(count: n, noise: noise, rng: &rng, into: &samples)
        case .plane: RegressionGenerators.plane(count: n, noise: noise, rng: &rng, into: &samples)
        case .sine: RegressionGenerators.sine(count: n, noise: noise, rng: &rng, into: &samples)
        }
        var (features, targets) = samples.tensors
        let task: LearningTask
        if kind.isClassification {
            task = .classification(classes: settings.classes)
            // Generators append class by class; shuffle so no slice of the rows is one class.
            let order = shuffledIndices(count: n, using: &rng)
            features = features.gatherRows(order)
            targets = targets.gatherRows(order)
        } else {
            task = .regression
        }
        return Dataset(unchecked: kind.rawValue, features: features, targets: targets, task: task,
                       featureNames: defaultFeatureNames(count: kind.featureCount),
                       classNames: task.classCount.map { k in (0..<k).map(String.init) } ?? [])
    }
}

/// `SyntheticOptions` checked and resolved against a kind's defaults.
struct SyntheticSettings {
    let count: Int
    let noise: Float
    let classes: Int

    init(kind: SyntheticKind, options: SyntheticOptions) throws(DatasetError) {
        classes = kind == .blobs ? options.classes : (kind.isClassification ? 2 : 0)
        if kind == .blobs, !SyntheticOptions.blobClasses.contains(classes) {
            let range = SyntheticOptions.blobClasses
            throw .invalidValue(field: "classes",
                                expected: "an integer from \(range.lowerBound) to \(range.upperBound)",
                                got: "\(classes)")
        }
        let n = options.n ?? kind.defaultCount
        guard (2...SyntheticOptions.maximumCount).contains(n) else {
            throw .invalidValue(field: "n",
                                expected: "an integer from 2 to \(SyntheticOptions.maximumCount)",
                                got: "\(n)")
        }
        guard n >= classes else {
            throw .invalidValue(field: "n", expected: "at least \(classes) (one point per class)",
                                got: "\(n)")
        }
        count = n
        let noise = options.noise ?? kind.defaultNoise
        guard !noise.isNaN, noise >= 0 else {
            throw .invalidValue(field: "noise", expected: "a number ≥ 0", got: DatasetError.describe(noise))
        }
        guard noise.isFinite else {
            throw .invalidValue(field: "noise", expected: "a finite number ≥ 0", got: DatasetError.describe(noise))
        }
        self.noise = Float(noise)
    }
}
