import Synchronization

/// A lock-free "latest value" slot between one writer and one reader: a triple buffer.
///
/// The trainer publishes larger snapshots (layer summaries, a confusion matrix, a decision
/// boundary grid) every N steps; the UI reads the newest one when it draws. Old snapshots the
/// reader never saw are simply replaced — this is a mailbox of size one, not a queue.
///
/// ## Concurrency contract
/// - Exactly **one writer thread** calls ``publish(_:)``; exactly **one reader thread** calls
///   ``latest()``. Two writers, or two readers, at once are a data race. ``version`` may be read
///   from any thread.
/// - Neither side ever blocks or waits for the other: each owns one of three cells (the writer
///   its *back* cell, the reader its *front* cell) and they trade through the third, *middle*
///   cell with one atomic exchange of a word packing the middle index and a *fresh* flag.
///   The exchange is acquiring-and-releasing on both sides, so the writer's stores into a cell
///   happen before the reader's loads from it, and the reader's loads happen before the writer
///   reuses the cell.
/// - Values are **copied** in and out. Use a struct of arrays: copying it only retains the
///   arrays, and the writer's next publish replaces the whole value rather than mutating the
///   buffers the reader holds. `Value` must be `Sendable`; avoid classes with mutable state.
///
/// `publish` and `latest` are `@inlinable` (specialised per `Value`); see ``SPSCRing`` on
/// running ThreadSanitizer on an optimised build.
public final class SnapshotSlot<Value: Sendable>: @unchecked Sendable {
    /// Bit 0...1: index of the middle cell. Bit 2: the middle cell holds a value the reader
    /// has not taken yet.
    @usableFromInline let state = Atomic<Int>(1)
    @usableFromInline let publishes = Atomic<Int>(0)
    @usableFromInline let cells: UnsafeMutablePointer<Value?>
    /// The writer's cell; touched only by the writer thread.
    @usableFromInline var back = 0
    /// The reader's cell; touched only by the reader thread.
    @usableFromInline var front = 2

    @usableFromInline static var indexMask: Int { 0b011 }
    @usableFromInline static var freshBit: Int { 0b100 }

    /// Creates an empty slot: ``latest()`` returns `nil` until the first ``publish(_:)``.
    public init() {
        cells = UnsafeMutablePointer<Value?>.allocate(capacity: 3)
        cells.initialize(repeating: nil, count: 3)
    }

    deinit {
        cells.deinitialize(count: 3)
        cells.deallocate()
    }

    /// Makes `value` the newest snapshot; **writer thread only**. Never blocks.
    ///
    /// A value published earlier and not yet read is discarded.
    @inlinable
    public func publish(_ value: Value) {
        cells[back] = value
        let old = state.exchange(back | Self.freshBit, ordering: .acquiringAndReleasing)
        back = old & Self.indexMask
        publishes.wrappingAdd(1, ordering: .releasing)
    }

    /// The newest published snapshot, or `nil` if nothing was ever published; **reader thread
    /// only**. Never blocks.
    ///
    /// Returns the same value again when nothing new was published since the last call.
    @inlinable
    public func latest() -> Value? {
        if state.load(ordering: .relaxed) & Self.freshBit != 0 {
            // Only this thread clears the flag, so it is still set: swap front and middle.
            let old = state.exchange(front, ordering: .acquiringAndReleasing)
            front = old & Self.indexMask
        }
        return cells[front]
    }

    /// How many times ``publish(_:)`` has completed. Any thread.
    ///
    /// It is counted after the value becomes visible, so once a reader sees `version == n`,
    /// its next ``latest()`` returns the n-th published value or a newer one. Comparing it with
    /// the version seen at the last draw tells the UI whether to redraw.
    public var version: Int {
        publishes.load(ordering: .acquiring)
    }
}
