import Synchronization

/// A fixed-capacity, append-only log with one writer and any number of readers, lock-free.
///
/// The trainer appends one record per epoch; front ends read every record ever appended, none
/// lost (unlike the ring, which drops when its reader falls behind). Storage is allocated once
/// in `init`, so appending never allocates; appends beyond `capacity` are counted in
/// ``overflowed`` and discarded.
///
/// ## Concurrency contract
/// - Exactly **one writer thread** calls ``append(_:)``.
/// - Any thread may call ``count``, ``subscript(_:)`` (for indices below a `count` it has
///   read) and ``overflowed``.
/// - The writer initialises the slot, then publishes it with a *releasing* store of the
///   count; readers *acquiring*-load the count first, so every record below it is whole.
///   Published slots are never written again.
public final class AppendLog<Element: Sendable & BitwiseCopyable>: @unchecked Sendable {
    public let capacity: Int
    @usableFromInline let storage: UnsafeMutablePointer<Element>
    @usableFromInline let published = Atomic<Int>(0)
    @usableFromInline let overflow = Atomic<Int>(0)

    /// A log with room for `capacity` records (at least 1).
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate() }

    /// Appends `element`; **writer thread only**. Returns false (and counts) when full.
    @inlinable @discardableResult
    public func append(_ element: Element) -> Bool {
        let n = published.load(ordering: .relaxed)
        guard n < capacity else {
            overflow.wrappingAdd(1, ordering: .relaxed)
            return false
        }
        (storage + n).initialize(to: element)
        published.store(n + 1, ordering: .releasing)
        return true
    }

    /// Records appended so far.
    @inlinable public var count: Int { published.load(ordering: .acquiring) }

    /// Records that did not fit.
    public var overflowed: Int { overflow.load(ordering: .relaxed) }

    /// Record `index`, which must be below a value of ``count`` already read.
    @inlinable public subscript(index: Int) -> Element {
        precondition(index >= 0 && index < capacity)
        return storage[index]
    }

    /// Every record appended so far, in order.
    public var elements: [Element] {
        let n = count
        return (0..<n).map { storage[$0] }
    }
}
