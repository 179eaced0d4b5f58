import Foundation
import Synchronization

/// Runs a long elementwise loop (Adam over a large table) in two halves at once: one on the
/// calling thread, one on a single helper thread started on first use.
///
/// Used only when `threads` is 2, which a training run sets for models with many parameters at
/// full pace (see `TrainingRun`); elementwise results are the same either way (each element is
/// computed by the same operations; only where it is computed changes). Below `minimumHalf`
/// elements per half, handing work over costs more than it saves.
///
/// The helper waits on a condition variable between jobs (it does not spin), so an idle helper
/// costs no CPU; handing over and collecting a half costs a few microseconds.
public final class WorkSplit: @unchecked Sendable {
    /// 1: every loop runs on the calling thread; 2: long loops are split in two.
    public static var threads: Int {
        get { wanted.load(ordering: .relaxed) }
        set { wanted.store(max(1, min(2, newValue)), ordering: .relaxed) }
    }

    /// Elements per half below which a loop is not split.
    public static let minimumHalf = 1 << 15

    /// The threads worth using for a model whose largest parameter tensor has `elements`
    /// values: 2 when its Adam update would be split and the process may use two CPUs.
    public static func threads(forLargestTensor elements: Int) -> Int {
        elements >= 2 * minimumHalf && BLAS.availableCPUs >= 2 ? 2 : 1
    }

    /// Whether a loop of `count` elements should be split now.
    public static func splits(_ count: Int) -> Bool {
        threads == 2 && count >= 2 * minimumHalf
    }

    /// The shared splitter (one helper thread for the process).
    public static let shared = WorkSplit()

    private static let wanted = Atomic<Int>(1)

    private let condition = NSCondition()
    // Guarded by `condition`:
    private var job: ((Int) -> Void)?
    private var generation = 0
    private var finished = 0
    private var helper: Thread?
    /// One split at a time: a second caller waits for the first to finish.
    private let entry = NSLock()

    /// Runs `body(0)` on the calling thread and `body(1)` on the helper, and returns when both
    /// have returned. `body` must not call `run` itself.
    public func run(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            entry.lock()
            defer { entry.unlock() }
            condition.lock()
            startHelperIfNeeded()
            job = body
            generation += 1
            let mine = generation
            condition.broadcast()
            condition.unlock()

            body(0)

            condition.lock()
            while finished != mine { condition.wait() }
            job = nil
            condition.unlock()
        }
    }

    /// Called with `condition` held.
    private func startHelperIfNeeded() {
        guard helper == nil else { return }
        let thread = Thread { [unowned self] in self.helperLoop() }
        thread.name = "descent work split"
        helper = thread
        thread.start()
    }

    private func helperLoop() {
        var seen = 0
        condition.lock()
        while true {
            while generation == seen { condition.wait() }
            seen = generation
            do {   // the reference to the job ends with this scope, before `finished` is set
                let body = job!
                condition.unlock()
                body(1)
            }
            condition.lock()
            finished = seen
            condition.broadcast()
        }
    }
}
