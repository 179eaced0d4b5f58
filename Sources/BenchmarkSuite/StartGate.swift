import Foundation

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
