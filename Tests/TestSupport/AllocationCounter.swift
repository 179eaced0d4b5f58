import Foundation
import Synchronization

/// Counts Swift heap allocations through the runtime's `_swift_allocObject` hook (the pointer
/// every `swift_allocObject` goes through; arrays, class instances, boxes and closure contexts
/// all allocate there; OpenBLAS allocates nothing per product).
///
/// Only in a child process (an exit test): on Swift 6.3 for Linux, setting the hook arms the
/// runtime's swizzling flag, and retains then go through `_swift_retain_adapterImpl`, which
/// mis-handles small-string payloads and crashes (fixed upstream after 6.3.3). In the child
/// nothing but the training loop runs while the hook is set, and the flag is disarmed after.
public enum AllocationCounter {
    typealias Allocate = @convention(c) (UnsafeRawPointer?, Int, Int) -> UnsafeMutableRawPointer?
    nonisolated(unsafe) static var original: Allocate?
    /// Counted atomically: a split Adam's helper thread allocates (or not) beside the caller's.
    static let count = Atomic<Int>(0)

    /// Allocations while `body` runs, or nil when the runtime does not export the hook.
    public static func allocations(during body: () -> Void) -> Int? {
        let everything = UnsafeMutableRawPointer(bitPattern: 0)   // RTLD_DEFAULT
        guard let hook = dlsym(everything, "_swift_allocObject"),
              let flag = dlsym(everything, "_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly")
        else { return nil }
        let slot = hook.assumingMemoryBound(to: Optional<Allocate>.self)
        count.store(0, ordering: .relaxed)
        original = slot.pointee
        slot.pointee = { metadata, size, alignment in
            AllocationCounter.count.add(1, ordering: .relaxed)
            return AllocationCounter.original!(metadata, size, alignment)
        }
        body()
        slot.pointee = original
        flag.assumingMemoryBound(to: Bool.self).pointee = false
        return count.load(ordering: .relaxed)
    }
}
