import TensorCore

/// Samples to learn from: a feature matrix, one target per row, and names for both.
///
/// `features` is `[n, d]` for a table, `[n] + kind.sampleShape` otherwise (see `FeatureKind`);
/// `targets` is `[n, 1]` and holds the class index as a `Float` for
/// classification, the real value for regression. Values are immutable after validation; derive
/// new datasets with `subset(_:)`, `split(trainFraction:rng:)` or a `Standardizer`.
public struct Dataset: Equatable, Sendable {
    /// A short name shown in the data pane's title, e.g. `spiral`.
    public let name: String
    /// The inputs, `[n, d]`.
    public let features: Tensor
    /// The outputs, `[n, 1]`.
    public let targets: Tensor
    /// Classification (with its class count) or regression.
    public let task: LearningTask
    /// One name per feature column.
    public let featureNames: [String]
    /// One name per class; empty for regression.
    public let classNames: [String]
    /// Table, images, tokens or sequences: the shape of one sample and how to preprocess it.
    public let kind: FeatureKind

    /// A validated dataset.
    ///
    /// `featureNames` defaults to `x` (one feature) or `x1 … xd`; `classNames` to `0 … k−1`.
    /// `kind` fixes the feature tensor's shape: `[n, d]` for `.table`, `[n] + sampleShape` otherwise
    /// (feature names then name the flattened columns).
    /// Throws when the shapes or names disagree, when a value is not finite, or when a
    /// classification target is not an integer in `0..<classes`.
    public init(name: String, features: Tensor, targets: Tensor, task: LearningTask,
                featureNames: [String]? = nil, classNames: [String]? = nil,
                kind: FeatureKind = .table) throws(DatasetError) {
        guard features.rank == 2 || kind != .table else {
            throw .invalidValue(field: "features", expected: "a matrix [n, d]",
                                got: "shape \(features.shape)")
        }
        guard kind == .table || Array(features.shape.dropFirst()) == kind.sampleShape(columns: 0) else {
            throw .invalidValue(field: "features", expected: "shape [n, \(kind.sampleShape(columns: 0).map(String.init).joined(separator: ", "))]",
                                got: "shape \(features.shape)")
        }
        let n = features.rows, d = features.columns
        let targetColumns: Int
        if case .sequence = task { targetColumns = d } else { targetColumns = 1 }
        guard targets.shape == [n, targetColumns] else {
            throw .invalidValue(field: "targets", expected: "shape [\(n), \(targetColumns)]",
                                got: "shape \(targets.shape)")
        }
        if let row = Dataset.firstNonFiniteRow(features) {
            throw .invalidValue(field: "features", expected: "finite numbers", got: "a non-finite value in row \(row)")
        }
        if let row = Dataset.firstNonFiniteRow(targets) {
            throw .invalidValue(field: "targets", expected: "finite numbers", got: "a non-finite value in row \(row)")
        }
        let featureNames = featureNames ?? Dataset.defaultFeatureNames(count: d)
        guard featureNames.count == d else {
            throw .invalidValue(field: "featureNames", expected: "\(d) names",
                                got: "\(featureNames.count)")
        }
        let resolvedClassNames: [String]
        switch task {
        case .regression:
            resolvedClassNames = classNames ?? []
            guard resolvedClassNames.isEmpty else {
                throw .invalidValue(field: "classNames", expected: "no names for regression",
                                    got: "\(resolvedClassNames.count)")
            }
        case .classification(let k):
            guard k >= 1 else {
                throw .invalidValue(field: "classes", expected: "at least 1", got: "\(k)")
            }
            resolvedClassNames = classNames ?? (0..<k).map(String.init)
            guard resolvedClassNames.count == k else {
                throw .invalidValue(field: "classNames", expected: "\(k) names",
                                    got: "\(resolvedClassNames.count)")
            }
            for (row, t) in targets.scalars.enumerated() where t != t.rounded() || t < 0 || t >= Float(k) {
                throw .invalidValue(field: "targets", expected: "class indices 0…\(k - 1)",
                                    got: "\(t) in row \(row)")
            }
        case .sequence(let v, _):
            resolvedClassNames = classNames ?? []
            for (i, t) in targets.scalars.enumerated() where t != t.rounded() || t < -1 || t >= Float(v) {
                throw .invalidValue(field: "targets", expected: "symbol ids 0…\(v - 1), or −1 where not scored",
                                    got: "\(t) in row \(i / max(d, 1))")
            }
            for (i, x) in features.scalars.enumerated() where x != x.rounded() || x < 0 || x >= Float(v) {
                throw .invalidValue(field: "features", expected: "symbol ids 0…\(v - 1)", got: "\(x) in row \(i / max(d, 1))")
            }
        }
        self.init(unchecked: name, features: features, targets: targets, task: task,
                  featureNames: featureNames, classNames: resolvedClassNames, kind: kind)
    }

    /// Builds without validation; for generators and `subset`, which preserve the invariants.
    init(unchecked name: String, features: Tensor, targets: Tensor, task: LearningTask,
         featureNames: [String], classNames: [String], kind: FeatureKind = .table) {
        self.name = name
        self.features = features
        self.targets = targets
        self.task = task
        self.featureNames = featureNames
        self.classNames = classNames
        self.kind = kind
    }

    // MARK: - Views

    /// The number of samples, n.
    public var count: Int { features.rows }

    /// The number of features per sample, d.
    public var featureCount: Int { features.columns }

    /// The targets as class indices (meaningful for classification).
    public var labels: [Int] { targets.scalars.map { Int($0) } }

    /// The samples at `indices`, in that order, with the same names and task.
    /// Every index must be in `0..<count`.
    public func subset(_ indices: [Int]) -> Dataset {
        precondition(indices.allSatisfy { (0..<count).contains($0) }, "subset index out of range")
        return Dataset(unchecked: name, features: features.gatherRows(indices),
                       targets: targets.gatherRows(indices), task: task,
                       featureNames: featureNames, classNames: classNames, kind: kind)
    }

    /// One line for a pane title: `spiral  400 pts · 2 features · 2 classes`.
    public var summary: String {
        let d = featureCount
        let kind: String
        switch task {
        case .classification(let k): kind = k == 1 ? "1 class" : "\(k) classes"
        case .regression: kind = "regression"
        case .sequence(_, let answers): kind = answers ? "write the answer" : "next character"
        }
        guard self.kind == .table else { return "\(name)  \(count) \(self.kind.noun) · \(kind)" }
        return "\(name)  \(count) pts · \(d) feature\(d == 1 ? "" : "s") · \(kind)"
    }

    // MARK: - Helpers

    static func defaultFeatureNames(count d: Int) -> [String] {
        d == 1 ? ["x"] : (0..<d).map { "x\($0 + 1)" }
    }

    private static func firstNonFiniteRow(_ t: Tensor) -> Int? {
        guard let i = t.scalars.firstIndex(where: { !$0.isFinite }) else { return nil }
        return t.columns == 0 ? 0 : i / t.columns
    }
}
