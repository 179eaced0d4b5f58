import Synchronization

/// A bounded, lock-free, single-producer single-consumer queue of small fixed-size events.
///
/// The trainer pushes events (step, loss, metrics…) and the UI drains them when it draws; a
/// second ring carries control messages the other way. Neither side ever blocks or allocates.
///
/// ## Concurrency contract
/// - Exactly **one producer thread** calls ``push(_:)``. Exactly **one consumer thread** calls
///   ``pop()`` and ``drain(max:_:)``. The two may be the same thread. Calling a producer method
///   from two threads at once (or a consumer method from two threads at once) is a data race
///   and undefined behaviour; hand a side over to another thread only through a
///   synchronising operation (a lock, a thread join).
/// - ``dropped``, ``count`` and ``capacity`` may be read from any thread.
/// - Memory ordering: the producer writes the slot, then publishes it with a *releasing* store
///   of `tail`; the consumer *acquiring*-loads `tail` before it reads the slot. The consumer
///   reads the slot, then frees it with a *releasing* store of `head`; the producer
///   *acquiring*-loads `head` before it overwrites the slot. So every event is received whole,
///   exactly once, in push order.
///
/// ## Layout
/// `head` (written by the consumer) and `tail` (written by the producer) live on separate
/// 128-byte blocks (two cache lines, against the adjacent-line prefetcher), and each side keeps
/// a private cached copy of the other's index on a block of its own, so the sides touch each
/// other's line only when the cached copy says the ring looks full (producer) or empty
/// (consumer). Indices grow without bound and are masked into the power-of-two storage.
///
/// Storage is one `UnsafeMutablePointer<Element>` allocated in `init`; `Element` is
/// `BitwiseCopyable`, so slots are plain memory copies with no reference counting.
///
/// ## Checking with ThreadSanitizer
/// The hot methods are `@inlinable`, so callers get code specialised for their `Element`.
/// Run the TSan tests optimised (`swift test -c release -Xswiftc -enable-testing
/// --sanitize=thread`): in a debug build the generic slot copies run inside uninstrumented
/// stdlib code, so TSan sees the indices but not the slots, and misses a wrong ordering.
public final class SPSCRing<Element: Sendable & BitwiseCopyable>: @unchecked Sendable {
    /// The number of slots: the requested capacity rounded up to a power of two.
    public let capacity: Int

    @usableFromInline let mask: Int
    @usableFromInline let slots: UnsafeMutablePointer<Element>
    @usableFromInline let indices: RingIndices

    /// Creates an empty ring holding at least `capacity` events.
    ///
    /// - Parameter capacity: the minimum number of slots, at least 1 and at most 2^40. It is
    ///   rounded up to the next power of two (`SPSCRing<Int>(capacity: 1000).capacity == 1024`).
    public init(capacity: Int) {
        precondition(capacity >= 1 && capacity <= 1 << 40,
                     "SPSCRing capacity must be in 1...2^40, got \(capacity)")
        let rounded = capacity == 1 ? 1 : 1 << (Int.bitWidth - (capacity - 1).leadingZeroBitCount)
        self.capacity = rounded
        self.mask = rounded - 1
        self.slots = UnsafeMutablePointer<Element>.allocate(capacity: rounded)
        self.indices = RingIndices()
    }

    deinit {
        // Elements are BitwiseCopyable: nothing to deinitialize.
        slots.deallocate()
        indices.deallocate()
    }

    // MARK: - Producer side

    /// Appends `event`; **producer thread only**. Never blocks, never allocates.
    ///
    /// - Returns: `true` if the event was queued; `false` if the ring was full, in which case
    ///   the event is dropped and ``dropped`` grows by one.
    @inlinable @discardableResult
    public func push(_ event: Element) -> Bool {
        let tail = indices.tail.pointee.load(ordering: .relaxed)  // only we write it
        if tail &- indices.cachedHead.pointee == capacity {
            indices.cachedHead.pointee = indices.head.pointee.load(ordering: .acquiring)
            if tail &- indices.cachedHead.pointee == capacity {
                indices.dropped.pointee.wrappingAdd(1, ordering: .relaxed)
                return false
            }
        }
        (slots + (tail & mask)).initialize(to: event)
        indices.tail.pointee.store(tail &+ 1, ordering: .releasing)
        return true
    }

    // MARK: - Consumer side

    /// Removes and returns the oldest event, or `nil` if the ring is empty; **consumer thread
    /// only**. Never blocks.
    @inlinable
    public func pop() -> Element? {
        let head = indices.head.pointee.load(ordering: .relaxed)  // only we write it
        if head == indices.cachedTail.pointee {
            indices.cachedTail.pointee = indices.tail.pointee.load(ordering: .acquiring)
            if head == indices.cachedTail.pointee { return nil }
        }
        let event = slots[head & mask]
        indices.head.pointee.store(head &+ 1, ordering: .releasing)
        return event
    }

    /// Passes up to `max` queued events, oldest first, to `body`, then frees their slots with
    /// a single releasing store; **consumer thread only**. Never blocks.
    ///
    /// Events pushed while `body` runs may or may not be included. `body` must not call
    /// ``pop()`` or ``drain(max:_:)`` on this ring.
    ///
    /// - Returns: the number of events passed to `body` (0 if the ring was empty).
    @inlinable @discardableResult
    public func drain(max: Int = .max, _ body: (Element) -> Void) -> Int {
        precondition(max >= 0, "drain(max:) needs max >= 0, got \(max)")
        let head = indices.head.pointee.load(ordering: .relaxed)
        if indices.cachedTail.pointee &- head < max {
            indices.cachedTail.pointee = indices.tail.pointee.load(ordering: .acquiring)
        }
        let n = Swift.min(indices.cachedTail.pointee &- head, max)
        if n == 0 { return 0 }
        for i in 0..<n {
            body(slots[(head &+ i) & mask])
        }
        indices.head.pointee.store(head &+ n, ordering: .releasing)
        return n
    }

    // MARK: - Either side

    /// How many pushes failed because the ring was full, since creation. Any thread.
    public var dropped: Int {
        indices.dropped.pointee.load(ordering: .relaxed)
    }

    /// The number of queued events. Any thread; approximate while the other side is running
    /// (exact when both sides are quiet), always in `0...capacity`.
    public var count: Int {
        let head = indices.head.pointee.load(ordering: .relaxed)
        let tail = indices.tail.pointee.load(ordering: .relaxed)
        return Swift.min(Swift.max(tail &- head, 0), capacity)
    }
}
