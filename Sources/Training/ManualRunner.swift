/// Steps a `TrainingRun` on the caller's thread, ignoring pace and pauses' sleeps: what tests
/// and snapshot scripts use where the background thread would make timing matter.
public struct ManualRunner {
    public let run: TrainingRun

    public init(run: TrainingRun) { self.run = run }

    /// Advances until the run finishes, stops or pauses with no steps pending, or `limit`
    /// advances have happened. Returns the number of advances made.
    @discardableResult
    public func runUntilIdle(limit: Int = .max) -> Int {
        var n = 0
        while n < limit {
            n += 1
            switch run.advance() {
            case .again: continue
            case .wait:
                if run.state == .paused { return n }
            case .done: return n
            }
        }
        return n
    }
}
