/// When the next snapshot is due while a run trains: at most every `period` seconds (the screen
/// draws at 30 frames a second), and never so often that making snapshots takes more than
/// `share` of the run's time. A snapshot that took c seconds is followed by at least
/// c · (1 − share) / share seconds of training: a big model's snapshot (a forward pass over the
/// probe grid, attention maps, layer health) waits longer than a small one's, whatever the model,
/// and no "every N updates" is tuned for any model. Snapshots are for display: when they happen
/// never changes a number a run computes or prints.
struct SnapshotSchedule {
    let period: Double
    /// The largest share of a run's time snapshots may take.
    static let share = 0.025
    private var due = -Double.infinity

    init(period: Double) { self.period = period }

    func isDue(at now: Double) -> Bool { now >= due }

    /// A snapshot was made, starting at `start` and taking `seconds`.
    mutating func made(at start: Double, taking seconds: Double) {
        due = start + max(period, seconds * (1 - Self.share) / Self.share)
    }
}
