import Datasets
import TensorCore

/// A synthetic set from a fresh generator seeded with `seed`.
func generate(_ kind: SyntheticKind, n: Int? = nil, noise: Double? = nil, classes: Int = 3,
              seed: UInt64 = 42) throws -> Dataset {
    var rng = SeededGenerator(seed: seed)
    return try Dataset.synthetic(kind, options: SyntheticOptions(n: n, noise: noise, classes: classes),
                                 rng: &rng)
}

/// How many rows carry each label 0..<k.
func classCounts(_ labels: [Int], classes k: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: k)
    for label in labels { counts[label] += 1 }
    return counts
}

/// Row `r` of a `[n, d]` matrix.
func row(_ t: Tensor, _ r: Int) -> [Float] {
    Array(t.scalars[r * t.columns ..< (r + 1) * t.columns])
}

/// The error a throwing call raised, or nil.
func datasetError(_ body: () throws(DatasetError) -> Void) -> DatasetError? {
    do { try body(); return nil } catch { return error }
}

/// Mean and population deviation of `values`.
func meanAndDeviation(_ values: [Float]) -> (mean: Double, deviation: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0) { $0 + Double($1) } / n
    let variance = values.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    return (mean, variance.squareRoot())
}

/// The fraction of 2-D points whose nearest other point has the same label: a model-free
/// measure of how separable the classes are.
func leaveOneOutNearestNeighbourAccuracy(_ data: Dataset) -> Double {
    let x = data.features.scalars, labels = data.labels
    var correct = 0
    for i in 0..<data.count {
        var best = Float.infinity, bestLabel = -1
        for j in 0..<data.count where j != i {
            let dx = x[2 * i] - x[2 * j], dy = x[2 * i + 1] - x[2 * j + 1]
            let distance = dx * dx + dy * dy
            if distance < best { best = distance; bestLabel = labels[j] }
        }
        if bestLabel == labels[i] { correct += 1 }
    }
    return Double(correct) / Double(data.count)
}
