import Foundation
import TensorCore

/// Drives training runs on background threads: at most `maximumThreads` of them, each advancing
/// its runs in turn, one update each, so any number of runs train at once (an optimizer race,
/// cross-validation folds) without more threads than cores.
///
/// A driver thread sleeps while all its runs wait (paused, or not yet due at their pace), so an
/// idle run costs almost nothing, and it ends when its last run is done. Which driver advances a
/// run never changes a number: each run's updates are its own, in its own order.
public final class RunDriverPool: @unchecked Sendable {
    public let maximumThreads: Int
    private let lock = NSLock()
    private var drivers: [Driver] = []   // guarded by `lock`

    public init(threads: Int) {
        maximumThreads = max(1, threads)
    }

    /// Starts driving `run` at once; the handle tells when it is done.
    @discardableResult
    public func start(_ run: TrainingRun) -> RunHandle {
        let handle = RunHandle()
        lock.withLock {
            drivers.removeAll { $0.hasEnded }
            // A driver whose thread ended meanwhile refuses the run; a new one takes it.
            if drivers.count == maximumThreads, drivers.min(by: { $0.load < $1.load })!.add(run, handle) { return }
            drivers.removeAll { $0.hasEnded }
            let driver = Driver(number: drivers.count + 1)
            drivers.append(driver)
            _ = driver.add(run, handle)
            driver.start()
        }
        return handle
    }

    /// Driver threads alive now.
    public var threads: Int { lock.withLock { drivers.removeAll { $0.hasEnded }; return drivers.count } }
}

/// Tells when a driven run is done (stopped or finished) and lets the caller wait for it.
public final class RunHandle: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = false

    /// True once the run's last `advance()` has returned `.done`: the run is the caller's again.
    public var isFinished: Bool { lock.withLock { finished } }

    /// Blocks until the run is done. Afterwards the caller may use the run directly.
    public func join() {
        guard !isFinished else { return }
        done.wait()
        done.signal()
    }

    func finish() {
        lock.withLock { finished = true }
        done.signal()
    }
}

/// One driver thread and the runs it advances.
private final class Driver: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`: runs handed over but not yet taken by the thread, the number of
    // runs it has, and whether the thread has returned.
    private var inbox: [(TrainingRun, RunHandle)] = []
    private var count = 0
    private var ended = false
    private let number: Int

    init(number: Int) { self.number = number }

    var load: Int { condition.withLock { count } }
    var hasEnded: Bool { condition.withLock { ended } }

    /// Hands `run` to this driver; false when its thread has already ended.
    func add(_ run: TrainingRun, _ handle: RunHandle) -> Bool {
        condition.withLock {
            guard !ended else { return false }
            inbox.append((run, handle))
            count += 1
            condition.signal()
            return true
        }
    }

    func start() {
        let thread = Thread { [self] in loop() }
        thread.stackSize = 1 << 22
        thread.start()
    }

    /// Training yields to interactive work: the screen, the REPL and the model server run first
    /// when the cores are contended, and training takes the rest. Alone on a core it runs as
    /// fast as before. This thread only (Linux applies both calls to the calling thread).
    /// SCHED_IDLE (5 in <bits/sched.h>, which Swift's Glibc module does not export; sched(7)):
    /// a waking thread of any other policy preempts it at once, where at nice 15 the server's
    /// threads could wait for the trainer's time slice (README, Performance, has the server's
    /// figures both ways). Where the policy is refused, nice 15.
    private func yieldToInteractiveWork() {
        var parameters = sched_param(sched_priority: 0)
        if sched_setscheduler(0, 5, &parameters) != 0 {
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 15)
        }
    }

    private func loop() {
        nameThisThread("descent-train\(number)")
        yieldToInteractiveWork()
        var runs: [(run: TrainingRun, handle: RunHandle)] = []
        while true {
            condition.withLock {
                runs += inbox.map { (run: $0.0, handle: $0.1) }
                inbox.removeAll()
            }
            var progressed = false
            var sleep = 0.01
            var index = 0
            while index < runs.count {
                switch runs[index].run.advance() {
                case .again:
                    progressed = true
                    index += 1
                case .wait(let seconds):
                    sleep = min(sleep, seconds)
                    index += 1
                case .done:
                    runs.remove(at: index).handle.finish()
                    let last = condition.withLock {
                        count -= 1
                        if count == 0 { ended = true }
                        return count == 0
                    }
                    if last { return }
                }
            }
            if !progressed {
                condition.withLock {
                    if inbox.isEmpty { _ = condition.wait(until: Date(timeIntervalSinceNow: sleep)) }
                }
            }
        }
    }
}
