import Foundation

/// A Foundation `Thread` whose result can be awaited with ``join()``.
final class BenchThread<Result: Sendable>: @unchecked Sendable {
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

    /// Blocks until the thread's body returns, then returns its result.
    func join() -> Result {
        condition.lock()
        defer { condition.unlock() }
        while result == nil { condition.wait() }
        return result!
    }
}

/// A one-shot barrier: threads ``wait()`` until someone calls ``open()``.
final class StartGate: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false  // guarded by `condition`

    func wait() {
        condition.lock()
        while !isOpen { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }
}
