import Foundation

/// A value behind an `NSLock`, shared by the server's threads and the session's. Not
/// `Synchronization.Mutex`: its futex-based lock is invisible to ThreadSanitizer, which then
/// reports every access under it as a race (shared/NOTES.md; `make tsan` runs the server tests).
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
