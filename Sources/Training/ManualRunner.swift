import Foundation

/// Steps a `TrainingRun` on the caller's thread, ignoring pace and pauses' sleeps: what tests
/// and snapshot scripts use where the background thread would make timing matter.
public struct ManualRunner {
    public let run: TrainingRun

    public init(run: TrainingRun) { self.run = run }

    /// Advances until the run finishes, stops or pauses with no steps pending, or `limit`
    /// advances have happened. Returns the number of advances made. Waits (briefly, on this
    /// thread) while another run holds the thread budget's second thread.
    @discardableResult
    public func runUntilIdle(limit: Int = .max) -> Int {
        var n = 0
        while n < limit {
            n += 1
            switch run.advance() {
            case .again: continue
            case .wait(let seconds):
                if run.isIdle { return n }
                if run.state == .running { continue }   // its pace: a manual runner ignores it
                Thread.sleep(forTimeInterval: seconds)
            case .done: return n
            }
        }
        return n
    }
}
