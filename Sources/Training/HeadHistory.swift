import NeuralEngine

/// A GPT's head scores over a run (`HeadReading`s taken as `HeadReadings` says): what draws the induction
/// score rising beside the loss, the phase change of Olsson et al. (2022). At most `capacity`
/// readings are kept: when full, every other one is dropped (the first and the newest stay),
/// so memory stays flat however long the run goes and the curve keeps its shape.
public struct HeadHistory: Sendable, Equatable, Codable {
    public struct Point: Sendable, Equatable, Codable {
        public var update: Int
        /// Each head's induction and previous-token scores, in `HeadReading.heads`' order.
        public var induction: [Float]
        public var previousToken: [Float]
        /// The probe's loss on its first half and on its repeat.
        public var firstHalfLoss: Float
        public var repeatLoss: Float

        public init(update: Int, reading: HeadReading) {
            self.update = update
            induction = reading.heads.map { Float($0.induction) }
            previousToken = reading.heads.map { Float($0.previousToken) }
            firstHalfLoss = Float(reading.firstHalfLoss)
            repeatLoss = Float(reading.repeatLoss)
        }
    }

    public static let capacity = 160
    public private(set) var points: [Point] = []
    /// The newest reading in full.
    public private(set) var latest: HeadReading?

    public init() {}

    /// Keeps `reading`, taken after `update` updates (a reading at the same update replaces the
    /// last); true when the history was full and has thinned to every other reading.
    @discardableResult
    public mutating func record(_ reading: HeadReading, update: Int) -> Bool {
        latest = reading
        let point = Point(update: update, reading: reading)
        if let last = points.last, last.update >= update {
            points[points.count - 1] = point
            return false
        }
        var thinned = false
        if points.count >= Self.capacity {
            points = points.enumerated().filter { $0.offset % 2 == 0 || $0.offset == points.count - 1 }.map(\.element)
            thinned = true
        }
        points.append(point)
        return thinned
    }

    /// The history as it stood after `update` updates, its newest reading `reading` (the
    /// model's as it was then): what `rewind` shows.
    public func through(update: Int, latest reading: HeadReading?) -> HeadHistory {
        var cut = self
        cut.points = points.filter { $0.update <= update }
        cut.latest = reading
        return cut
    }

    /// The update at which head `index`'s induction score first reached half of its latest
    /// value, when it has risen by at least `rise` since the first reading: where the phase
    /// change happened.
    public func riseUpdate(head index: Int, rise: Float = 0.2) -> Int? {
        guard let first = points.first, let last = points.last, index < last.induction.count,
              last.induction[index] - first.induction[index] >= rise else { return nil }
        let halfway = (first.induction[index] + last.induction[index]) / 2
        return points.first { $0.induction[index] >= halfway }?.update
    }
}
