/// The way a two-parameter model's (w, b) went during a run, for the loss contour: a bounded
/// list of points. When it fills, every other point is dropped (the first and last stay), so a
/// run of millions of updates keeps its shape in a fixed amount of memory.
public struct ParameterPath: Equatable, Sendable, Codable {
    public struct Point: Equatable, Sendable, Codable {
        public var update: Int
        public var w: Float
        public var b: Float
    }

    public let capacity: Int
    public private(set) var points: [Point] = []

    public init(capacity: Int = 4096) { self.capacity = max(4, capacity) }

    public mutating func append(_ point: Point) {
        if points.count == capacity {
            let last = points[points.count - 1]
            points = points.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            if points.last != last { points.append(last) }
        }
        points.append(point)
    }

    /// Where the path is now.
    public var current: Point? { points.last }
}
