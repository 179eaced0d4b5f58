import Synchronization

/// An append-only log with one writer and any number of readers, lock-free, that never drops.
///
/// A training run appends what a learner is told (epochs, changes, pauses, the end) here, in
/// the order it happened; front ends read every record ever appended, none lost and none
/// reordered (unlike the ring, which drops when its reader falls behind). It grows in chunks that
/// double in size, allocated by the writer when the previous one is full: appends allocate only
/// log₂(n) times in all, never per record, and a short log costs one small chunk.
///
/// ## Concurrency contract
/// - Exactly **one writer thread** calls ``append(_:)``.
/// - Any thread may call ``count`` and ``subscript(_:)`` (for indices below a `count` it has
///   read).
/// - The writer stores a new chunk's address and initialises the slot, then publishes it with a
///   *releasing* store of the count; readers *acquiring*-load the count first, so every record
///   below it, and the chunk holding it, are whole. Published slots are never written again.
public final class AppendLog<Element: Sendable & BitwiseCopyable>: @unchecked Sendable {
    /// Records in chunk 0; chunk c holds `first << c`.
    @usableFromInline let first: Int
    /// Chunk addresses, nil until the writer needs the chunk. 40 chunks hold 2⁴⁰ × `first` records.
    @usableFromInline let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>
    @usableFromInline static var chunkCount: Int { 40 }
    @usableFromInline let published = Atomic<Int>(0)

    /// A log whose first chunk holds `initialCapacity` records (rounded up to a power of two).
    public init(initialCapacity: Int = 64) {
        var size = 1
        while size < max(1, initialCapacity) { size <<= 1 }
        first = size
        chunks = UnsafeMutablePointer<UnsafeMutablePointer<Element>?>.allocate(capacity: Self.chunkCount)
        chunks.initialize(repeating: nil, count: Self.chunkCount)
    }

    deinit {
        for c in 0..<Self.chunkCount { chunks[c]?.deallocate() }
        chunks.deallocate()
    }

    /// The chunk holding record `index`, and the record's place in it.
    @inlinable func locate(_ index: Int) -> (chunk: Int, offset: Int) {
        let q = index / first + 1
        let chunk = Int.bitWidth - 1 - q.leadingZeroBitCount
        return (chunk, index - first * ((1 << chunk) - 1))
    }

    /// Appends `element`; **writer thread only**.
    @inlinable
    public func append(_ element: Element) {
        let n = published.load(ordering: .relaxed)
        let (chunk, offset) = locate(n)
        if chunks[chunk] == nil { chunks[chunk] = UnsafeMutablePointer<Element>.allocate(capacity: first << chunk) }
        (chunks[chunk]! + offset).initialize(to: element)
        published.store(n + 1, ordering: .releasing)
    }

    /// Records appended so far.
    @inlinable public var count: Int { published.load(ordering: .acquiring) }

    /// Record `index`, which must be below a value of ``count`` already read.
    @inlinable public subscript(index: Int) -> Element {
        precondition(index >= 0)
        let (chunk, offset) = locate(index)
        return chunks[chunk]![offset]
    }

    /// Every record appended so far, in order.
    public var elements: [Element] {
        let n = count
        return (0..<n).map { self[$0] }
    }
}
