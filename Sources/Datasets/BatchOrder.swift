import TensorCore

/// The order in which one epoch visits the samples, and its mini-batches.
///
/// Each epoch starts from the identity 0..<count and shuffles it (Fisher–Yates) with the run's
/// generator, so an epoch's order depends only on the generator's state, not on the previous
/// epoch or on the batch size. Batch i is `permutation[i·size ..< min((i+1)·size, count)]`: the
/// last batch may be smaller. Nothing here allocates after `init`, so the training loop can
/// reshuffle and gather rows every step for free:
///
///     order.shuffle(using: &rng)
///     for i in 0..<order.batchCount(size: 32) {
///         features.gatherRows(order.batch(i, size: 32), into: &x)
///     }
public struct BatchOrder: Equatable, Sendable {
    /// The current visiting order, a permutation of 0..<count.
    public private(set) var permutation: [Int]

    /// The identity order over `count` samples (call `shuffle(using:)` to start an epoch).
    public init(count: Int) {
        precondition(count >= 0)
        permutation = Array(0..<count)
    }

    /// The number of samples.
    public var count: Int { permutation.count }

    /// Starts a new epoch: resets to the identity, then shuffles, in place.
    public mutating func shuffle(using rng: inout SeededGenerator) {
        for i in permutation.indices { permutation[i] = i }
        permutation.fisherYatesShuffle(using: &rng)
    }

    /// ⌈count / size⌉ batches (0 when there are no samples). `size` must be ≥ 1.
    public func batchCount(size: Int) -> Int {
        BatchOrder.batchCount(count: count, size: size)
    }

    /// The sample indices of batch `index`, a view into `permutation`.
    public func batch(_ index: Int, size: Int) -> ArraySlice<Int> {
        permutation[BatchOrder.range(of: index, count: count, size: size)]
    }

    /// ⌈count / size⌉: how many batches of `size` cover `count` samples.
    public static func batchCount(count: Int, size: Int) -> Int {
        precondition(size >= 1, "batch size must be at least 1")
        return (count + size - 1) / size
    }

    /// The positions batch `index` covers: index·size ..< min((index+1)·size, count).
    public static func range(of index: Int, count: Int, size: Int) -> Range<Int> {
        precondition(index >= 0 && index < batchCount(count: count, size: size), "batch \(index) out of range")
        return index * size ..< min((index + 1) * size, count)
    }

    /// Every batch's positions in order; the last may be smaller.
    public static func ranges(count: Int, size: Int) -> [Range<Int>] {
        (0..<batchCount(count: count, size: size)).map { range(of: $0, count: count, size: size) }
    }
}
