import Foundation
import Synchronization

/// Runs a closure on its own Foundation `Thread`; ``join()`` waits for it and returns its result.
///
/// Results travel through an `NSCondition` (pthread-based, so ThreadSanitizer sees the
/// hand-off), and assertions are made on the test's thread after the join.
final class TestThread<Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result?  // guarded by `condition`

    init(name: String, _ body: @escaping @Sendable () -> Result) {
        let thread = Thread { [self] in
            let value = body()
            condition.lock()
            result = value
            condition.signal()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    func join() -> Result {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}

/// A flag one thread raises and another polls.
final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .releasing) }
    var isRaised: Bool { raised.load(ordering: .acquiring) }
}

/// How many events the two-thread tests send: 2,000,000, or `EVENTRING_STRESS_EVENTS=N` for a
/// longer soak. Even under ThreadSanitizer the default run takes a few seconds, so it is not
/// scaled down there.
enum StressScale {
    static var events: Int {
        if let text = ProcessInfo.processInfo.environment["EVENTRING_STRESS_EVENTS"],
           let n = Int(text), n > 0 {
            return n
        }
        return 2_000_000
    }
}
