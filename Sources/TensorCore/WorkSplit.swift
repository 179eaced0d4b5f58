import Foundation
import Synchronization
import CKernels

/// Runs a long elementwise loop (Adam over a large table, clearing its gradient) in two halves
/// at once: one on the calling thread, one on a single helper thread started on first use.
///
/// Only code running inside `allowing(_:_:)` on its thread may split: a training run grants
/// itself that around an update when the thread budget gives it a second thread (see
/// `ThreadBudget` in Training), so the choice is made per run and per thread, never for the
/// whole process. Elementwise results are the same either way (each element is computed by the
/// same operations; only where it is computed changes). Below `minimumHalf` elements per half,
/// handing work over costs more than it saves.
///
/// After a job the helper polls for the next one for `pollNanoseconds`, then sleeps on a
/// condition variable: at full pace the hand-over costs well under a microsecond, and an idle
/// helper costs no CPU.
public final class WorkSplit: @unchecked Sendable {
    /// Runs `body` with long loops on this thread split in two (`allowed`) or not, then
    /// restores what was allowed before.
    public static func allowing<T>(_ allowed: Bool, _ body: () throws -> T) rethrows -> T {
        let previous = pthread_getspecific(permission)
        pthread_setspecific(permission, allowed ? UnsafeRawPointer(bitPattern: 1) : nil)
        defer { pthread_setspecific(permission, previous) }
        return try body()
    }

    /// Whether code on this thread may split now.
    public static var isAllowedOnThisThread: Bool { pthread_getspecific(permission) != nil }

    /// The per-thread permission (non-nil: allowed).
    private static let permission: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Elements per half below which a loop is not split.
    public static let minimumHalf = 1 << 15

    /// The threads worth using for a model whose largest parameter tensor has `elements`
    /// values, when OpenBLAS uses `blasThreads`: 2 when its Adam update would be split, the
    /// process may use two CPUs and OpenBLAS keeps to one (its second thread and the helper
    /// would fight for the second core: W1 fell from 112k to 77–101k samples/s with both).
    public static func threads(forLargestTensor elements: Int, besideBLAS blasThreads: Int) -> Int {
        elements >= 2 * minimumHalf && BLAS.availableCPUs >= 2 && blasThreads == 1 ? 2 : 1
    }

    /// Whether a loop of `count` elements should be split now (on this thread).
    public static func splits(_ count: Int) -> Bool {
        count >= 2 * minimumHalf && isAllowedOnThisThread
    }

    /// The shared splitter (one helper thread for the process).
    public static let shared = WorkSplit()

    /// How long the helper keeps polling for the next job before it sleeps: a training step
    /// hands over a job every few hundred microseconds at full pace, and waking a sleeping
    /// thread costs about as much as the half it would run.
    public static let pollNanoseconds: UInt64 = 300_000

    // The hand-over. The caller publishes `job`, then bumps `posted`; the helper runs the job,
    // writes `result` and sets `done` to the same number. `job` and `result` are only written
    // while the other side is not reading them, so the atomics order every access. Jobs are
    // values, not closures: handing a closure to another thread allocated a context per call.
    private nonisolated(unsafe) var job: Job = .none
    private nonisolated(unsafe) var result = 0.0
    private let posted = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    /// True while the helper sleeps on `condition` (Dekker-style with `posted`: both sides use
    /// sequentially consistent operations, so a job posted as the helper falls asleep is seen).
    private let sleeping = Atomic<Bool>(false)
    private let condition = NSCondition()
    private let entry = NSLock()   // one split at a time
    private var helper: Thread?    // guarded by `entry`

    /// The loops that can be split: one half of each is a job.
    public enum Job {
        case none
        /// `Kernels.adam` over `count` elements from these pointers; its result is Σ g².
        case adam(w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                  v: UnsafeMutablePointer<Float>, count: Int, step: descent_adam_step)
        /// `count` copies of `value` from `start`.
        case fill(start: UnsafeMutablePointer<Float>, count: Int, value: Float)

        /// Runs the job on the calling thread; returns its result (0 for a fill).
        func perform() -> Double {
            switch self {
            case .none:
                return 0
            case let .adam(w, g, m, v, count, step):
                return descent_adam(w, g, m, v, count, step)
            case let .fill(start, count, value):
                start.update(repeating: value, count: count)
                return 0
            }
        }
    }

    /// Runs `first` on the calling thread and `second` on the helper at the same time, and
    /// returns both results when both are done. Allocates nothing.
    public func run(_ first: Job, _ second: Job) -> (Double, Double) {
        entry.lock()
        defer { entry.unlock() }
        if helper == nil { startHelper() }
        job = second
        let number = posted.load(ordering: .relaxed) + 1
        posted.store(number, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) {
            condition.lock()
            condition.signal()
            condition.unlock()
        }
        let mine = first.perform()
        while done.load(ordering: .acquiring) != number { spinPause() }
        return (mine, result)
    }

    private func startHelper() {
        let thread = Thread { [unowned self] in self.helperLoop() }
        helper = thread
        thread.start()
    }

    private func helperLoop() {
        nameThisThread("descent-split")
        var seen = 0
        while true {
            let deadline = DispatchTime.now().uptimeNanoseconds + Self.pollNanoseconds
            while posted.load(ordering: .acquiring) == seen {
                if DispatchTime.now().uptimeNanoseconds > deadline {
                    sleepUntilPosted(after: seen)
                    break
                }
                spinPause()
            }
            seen = posted.load(ordering: .acquiring)
            result = job.perform()
            done.store(seen, ordering: .releasing)
        }
    }

    private func sleepUntilPosted(after seen: Int) {
        condition.lock()
        sleeping.store(true, ordering: .sequentiallyConsistent)
        while posted.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
        sleeping.store(false, ordering: .sequentiallyConsistent)
        condition.unlock()
    }

    @inline(__always) private func spinPause() {
        for _ in 0..<16 { _ = posted.load(ordering: .relaxed) }
    }
}
