import Synchronization

/// The shared and cached indices of an ``SPSCRing``, each on its own cache-line block.
///
/// One raw allocation aligned to ``blockSize`` holds four blocks:
///
///     block 0  head        Atomic<Int>   written by the consumer, read by the producer
///     block 1  cachedTail  Int           consumer only
///     block 2  tail        Atomic<Int>   written by the producer, read by the consumer
///              dropped     Atomic<Int>   written by the producer (rarely), read by anyone
///     block 3  cachedHead  Int           producer only
///
/// A block is 128 bytes, two 64-byte lines, because x86 prefetchers fetch lines in pairs.
/// Storing the indices in raw memory (not class properties) fixes the layout and keeps
/// Swift's dynamic exclusivity checks off the hot path.
@usableFromInline
struct RingIndices {
    @usableFromInline static let blockSize = 128

    @usableFromInline let head: UnsafeMutablePointer<Atomic<Int>>
    @usableFromInline let cachedTail: UnsafeMutablePointer<Int>
    @usableFromInline let tail: UnsafeMutablePointer<Atomic<Int>>
    @usableFromInline let dropped: UnsafeMutablePointer<Atomic<Int>>
    @usableFromInline let cachedHead: UnsafeMutablePointer<Int>

    private let base: UnsafeMutableRawPointer

    init() {
        let block = Self.blockSize
        base = UnsafeMutableRawPointer.allocate(byteCount: 4 * block, alignment: block)
        head = base.bindMemory(to: Atomic<Int>.self, capacity: 1)
        cachedTail = (base + block).bindMemory(to: Int.self, capacity: 1)
        tail = (base + 2 * block).bindMemory(to: Atomic<Int>.self, capacity: 1)
        dropped = (base + 2 * block + MemoryLayout<Atomic<Int>>.stride)
            .bindMemory(to: Atomic<Int>.self, capacity: 1)
        cachedHead = (base + 3 * block).bindMemory(to: Int.self, capacity: 1)
        head.initialize(to: Atomic(0))
        cachedTail.initialize(to: 0)
        tail.initialize(to: Atomic(0))
        dropped.initialize(to: Atomic(0))
        cachedHead.initialize(to: 0)
    }

    /// Frees the block; call once, from the owner's `deinit`.
    func deallocate() {
        head.deinitialize(count: 1)
        tail.deinitialize(count: 1)
        dropped.deinitialize(count: 1)
        base.deallocate()
    }

    /// Byte distance between two of the blocks' fields, for layout tests.
    func offset(of pointer: UnsafeRawPointer) -> Int {
        UnsafeRawPointer(base).distance(to: pointer)
    }
}
