import Foundation

/// Runs a closure on its own Foundation `Thread`; ``join()`` waits for it and returns its result.
///
/// Results travel through an `NSCondition` (pthread-based, so ThreadSanitizer sees the
/// hand-off), and assertions are made on the caller's thread after the join. The tests' and the
/// benchmarks' second thread.
public final class JoinableThread<Result: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result?  // guarded by `condition`

    public init(name: String, _ body: @escaping @Sendable () -> Result) {
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

    /// Blocks until the thread's body returns, then returns its result.
    public func join() -> Result {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}
