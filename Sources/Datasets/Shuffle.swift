import TensorCore

// MARK: - Deterministic shuffling
// Our own Fisher–Yates rather than the standard library's `shuffle(using:)`, whose algorithm is
// not promised to stay the same across toolchains: a notebook's numbers must not change when
// Swift is upgraded.

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Fisher–Yates: for i from the last index down to 1, swap element i with a uniform j ≤ i.
    mutating func fisherYatesShuffle(using rng: inout SeededGenerator) {
        guard count > 1 else { return }
        for offset in stride(from: count - 1, to: 0, by: -1) {
            let j = rng.int(below: offset + 1)
            swapAt(startIndex + offset, startIndex + j)
        }
    }
}

/// A uniformly random permutation of `0..<count`.
func shuffledIndices(count: Int, using rng: inout SeededGenerator) -> [Int] {
    var indices = Array(0..<count)
    indices.fisherYatesShuffle(using: &rng)
    return indices
}

/// `n` split into `k` near-equal parts: the first `n % k` parts get one more.
func balancedSizes(total n: Int, parts k: Int) -> [Int] {
    (0..<k).map { n / k + ($0 < n % k ? 1 : 0) }
}
