import TensorCore

extension Dataset {
    /// K-fold cross-validation: `k` (train, validation) index lists, each list ascending.
    ///
    /// Every index is in exactly one validation fold, and each fold's train list is the rest.
    /// Classification is stratified: rows are grouped by class, each group shuffled, and the
    /// groups dealt one after another round-robin onto the folds, so every fold holds each class
    /// within one of mᵢ/k and the fold sizes differ by at most one. Regression deals one shuffled
    /// list. Throws when `k` is outside 2 … n.
    public func stratifiedFolds(k: Int,
                                rng: inout SeededGenerator) throws(DatasetError) -> [(train: [Int], validation: [Int])] {
        let n = count
        guard k >= 2, k <= n else {
            throw .invalidValue(field: "k", expected: "an integer from 2 to the number of samples (\(n))",
                                got: "\(k)")
        }
        var foldOf = [Int](repeating: 0, count: n)
        var position = 0
        for group in shuffledGroups(using: &rng) {
            for row in group {
                foldOf[row] = position % k
                position += 1
            }
        }
        return (0..<k).map { fold in
            let validation = (0..<n).filter { foldOf[$0] == fold }
            let train = (0..<n).filter { foldOf[$0] != fold }
            return (train, validation)
        }
    }
}
