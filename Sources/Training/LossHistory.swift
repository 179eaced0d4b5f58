/// A bounded record of a long series (a run's per-update losses) that can still be drawn
/// faithfully: values are kept in at most `capacity` buckets of equal width, each holding the
/// min, max, mean and count of its values. When the buckets fill, neighbours merge pairwise and
/// the width doubles, so memory stays flat however long the run goes and spikes survive as maxima.
public struct LossHistory: Sendable, Equatable, Codable {
    public struct Bucket: Sendable, Equatable, Codable {
        public var firstIndex: Int
        public var count: Int
        public var min: Float
        public var max: Float
        public var sum: Double
        public var last: Float
        public var mean: Float { Float(sum / Double(Swift.max(count, 1))) }

        init(index: Int, value: Float) {
            firstIndex = index; count = 1; min = value; max = value; sum = Double(value); last = value
        }

        mutating func add(_ value: Float) {
            count += 1
            min = Swift.min(min, value)
            max = Swift.max(max, value)
            sum += Double(value)
            last = value
        }

        mutating func merge(_ other: Bucket) {
            count += other.count
            min = Swift.min(min, other.min)
            max = Swift.max(max, other.max)
            sum += other.sum
            last = other.last
        }
    }

    public let capacity: Int
    public private(set) var buckets: [Bucket] = []
    /// Values per bucket (a power of two).
    public private(set) var width = 1
    /// Values recorded so far.
    public private(set) var count = 0

    public init(capacity: Int = 2048) {
        self.capacity = max(2, capacity - capacity % 2)
        buckets.reserveCapacity(self.capacity)
    }

    public mutating func append(_ value: Float) {
        if let last = buckets.last, count - last.firstIndex < width {
            buckets[buckets.count - 1].add(value)
        } else {
            if buckets.count == capacity { compact() }
            if let last = buckets.last, count - last.firstIndex < width {
                buckets[buckets.count - 1].add(value)
            } else {
                buckets.append(Bucket(index: count, value: value))
            }
        }
        count += 1
    }

    private mutating func compact() {
        var merged: [Bucket] = []
        merged.reserveCapacity(capacity)
        var i = 0
        while i < buckets.count {
            var b = buckets[i]
            if i + 1 < buckets.count { b.merge(buckets[i + 1]) }
            merged.append(b)
            i += 2
        }
        buckets = merged
        width *= 2
    }

    /// The most recent value.
    public var last: Float? { buckets.last?.last }
}
