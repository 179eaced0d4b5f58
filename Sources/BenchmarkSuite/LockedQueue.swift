import Foundation

/// The baseline for ``RingBenchmark``: a bounded ring of slots guarded by one `NSLock`.
///
/// Same storage, capacity and batch-drain shape as `SPSCRing`, so the benchmark compares only
/// the synchronisation: one lock round-trip per push and per drained batch, versus atomics.
/// Any number of threads may call any method.
final class LockedQueue<Element: Sendable & BitwiseCopyable>: @unchecked Sendable {
    let capacity: Int
    private let mask: Int
    private let lock = NSLock()
    private let slots: UnsafeMutablePointer<Element>
    private var head = 0  // guarded by `lock`
    private var tail = 0  // guarded by `lock`

    /// - Parameter capacity: a power of two (indices are masked, as in `SPSCRing`).
    init(capacity: Int) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "capacity must be a power of two")
        self.capacity = capacity
        self.mask = capacity - 1
        slots = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
    }

    deinit { slots.deallocate() }

    /// Appends `event`, or returns `false` if the queue is full.
    func push(_ event: Element) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if tail - head == capacity { return false }
        (slots + (tail & mask)).initialize(to: event)
        tail += 1
        return true
    }

    /// Passes up to `max` events, oldest first, to `body` under one lock acquisition.
    func drain(max: Int, _ body: (Element) -> Void) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let n = Swift.min(tail - head, max)
        for i in 0..<n { body(slots[(head + i) & mask]) }
        head += n
        return n
    }
}
