import TensorCore

extension Dataset {
    /// A train/validation split with about `trainFraction` of the samples in train.
    ///
    /// Classification is stratified: each class is split in the same proportion (class sizes
    /// rounded by largest remainder so the train total is round(n·fraction)), and a class with
    /// at least 2 samples always has at least one on each side. Regression takes a shuffled
    /// round(n·fraction) samples. Both sides keep the dataset's row order.
    /// Throws when `trainFraction` is not strictly between 0 and 1 or there are fewer than 2 samples.
    public func split(trainFraction: Double,
                      rng: inout SeededGenerator) throws(DatasetError) -> (train: Dataset, validation: Dataset) {
        let (train, validation) = try splitIndices(trainFraction: trainFraction, rng: &rng)
        return (subset(train), subset(validation))
    }

    /// The row indices of `split(trainFraction:rng:)`, each list ascending.
    public func splitIndices(trainFraction f: Double,
                             rng: inout SeededGenerator) throws(DatasetError) -> (train: [Int], validation: [Int]) {
        guard f > 0, f < 1 else {
            throw .invalidValue(field: "trainFraction", expected: "a number between 0 and 1 (exclusive)",
                                got: DatasetError.describe(f))
        }
        let n = count
        guard n >= 2 else {
            throw .invalidValue(field: "dataset", expected: "at least 2 samples to split", got: "\(n)")
        }
        let total = min(max(Int((Double(n) * f).rounded()), 1), n - 1)
        if case .sequence = task { return splitByInput(total: total, rng: &rng) }
        let groups = shuffledGroups(using: &rng)
        let quotas = Dataset.trainQuotas(sizes: groups.map(\.count), fraction: f, total: total)
        var train: [Int] = [], validation: [Int] = []
        for (group, quota) in zip(groups, quotas) {
            train += group[..<quota]
            validation += group[quota...]
        }
        return (train.sorted(), validation.sorted())
    }

    /// A sequence task's split: rows with the same input go to the same side, so validation
    /// holds only sequences the model never trained on. Distinct inputs in shuffled order fill
    /// train until it has `total` rows or more (at least one input stays for validation).
    func splitByInput(total: Int, rng: inout SeededGenerator) -> (train: [Int], validation: [Int]) {
        var groups: [[Int]] = [], index: [ArraySlice<Float>: Int] = [:]
        let d = featureCount
        for row in 0..<count {
            let key = features.scalars[(row * d)..<((row + 1) * d)]
            if let g = index[key] { groups[g].append(row) } else { index[key] = groups.count; groups.append([row]) }
        }
        groups.fisherYatesShuffle(using: &rng)
        var train: [Int] = [], validation: [Int] = []
        for (k, group) in groups.enumerated() {
            if train.count < total && k < groups.count - 1 { train += group } else { validation += group }
        }
        return (train.sorted(), validation.sorted())
    }

    /// The rows grouped by class (in class order), each group shuffled; for regression one group
    /// of all rows, shuffled.
    func shuffledGroups(using rng: inout SeededGenerator) -> [[Int]] {
        var groups: [[Int]]
        switch task {
        case .regression, .sequence:
            groups = [Array(0..<count)]
        case .classification(let k):
            groups = Array(repeating: [], count: k)
            for (row, label) in labels.enumerated() { groups[label].append(row) }
        }
        for i in groups.indices { groups[i].fisherYatesShuffle(using: &rng) }
        return groups
    }

    /// How many of each group go to train: ⌊mᵢ·f⌋, plus one for the groups with the largest
    /// remainders until the sum is `total`; then clamped to 1 … mᵢ − 1 for groups of 2 or more.
    static func trainQuotas(sizes: [Int], fraction f: Double, total: Int) -> [Int] {
        let exact = sizes.map { Double($0) * f }
        var quotas = exact.map { Int($0.rounded(.down)) }
        let byRemainder = sizes.indices.sorted { a, b in
            let ra = exact[a] - Double(quotas[a]), rb = exact[b] - Double(quotas[b])
            return ra != rb ? ra > rb : a < b
        }
        var missing = total - quotas.reduce(0, +)
        for i in byRemainder where missing > 0 && quotas[i] < sizes[i] {
            quotas[i] += 1
            missing -= 1
        }
        for i in sizes.indices where sizes[i] >= 2 {
            quotas[i] = min(max(quotas[i], 1), sizes[i] - 1)
        }
        return quotas
    }
}
