/// When the next update is due at a pace of `rate` updates per second (0: as fast as possible),
/// so a small problem can be watched learning. Updates made by hand (`step`) ignore it.
struct Pacing {
    private(set) var rate: Double
    /// The clock time the next update is due (0: at once).
    private var next: Double = 0

    init(rate: Double) { self.rate = max(0, rate) }

    var isPaced: Bool { rate > 0 }

    /// Seconds to wait before the next update at clock time `now`; nil when it is due.
    func wait(at now: Double) -> Double? {
        guard isPaced, now < next else { return nil }
        return min(next - now, 0.01)
    }

    /// An update was made at `now`: the next is due one period later (never piling up updates
    /// that a pause or a slow update postponed).
    mutating func updated(at now: Double) {
        guard isPaced else { return }
        next = max(next, now - 1 / rate) + 1 / rate
    }

    /// A new pace, from now on; returns the old one.
    mutating func set(_ newRate: Double) -> Double {
        defer { rate = max(0, newRate); next = 0 }
        return rate
    }

    /// The next update is due at once (after a resume).
    mutating func restart() { next = 0 }
}
