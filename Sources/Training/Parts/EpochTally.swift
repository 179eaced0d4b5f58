/// The mean batch loss of the epoch so far: what an epoch line reports as its loss.
struct EpochTally {
    private var sum: Double = 0
    private var count = 0

    mutating func add(_ loss: Float) {
        sum += Double(loss)
        count += 1
    }

    /// The epoch's mean loss; starts the next epoch's tally.
    mutating func close() -> Float {
        defer { sum = 0; count = 0 }
        return Float(sum / Double(max(count, 1)))
    }
}
