import Dispatch

/// Where the server's async code runs when it must not rely on Swift's cooperative pool.
///
/// The pool has one thread per core (two here) and is shared with the rest of the process. In
/// the workbench and `descent serve` nothing else uses it, and the server runs there: the
/// serving benchmark measured 16,800 requests/s on the pool against 11,400/s on this queue (the
/// thread hops cost a third) and 13,600/s on NIO's event loops; on 2026-12-01 again, an
/// executor that runs each job on the event loop that enqueued it (no thread hop at all) served
/// 16,800–19,300 requests/s against 21,800–27,000 on the pool (3 rounds side by side,
/// `Benchmarks/serve-bench.sh`, wrk and the server sharing the two cores), and one event-loop
/// thread of the server's own doing everything 20,400–23,600 against 33,500–35,300 (p99 lower
/// while training, 1.6–2.7 ms, but no better than the pool's 1.4–2.0). In a test runner, though,
/// tests that block pool threads while they wait starved the server, which then did not even
/// start within 10 s; tests pass `ModelServer(ownThreads: true)` and get this executor. Jobs
/// of one task never run at once, so a concurrent queue keeps each task's order.
final class ServerExecutor: TaskExecutor {
    static let shared = ServerExecutor()
    private let queue = DispatchQueue(label: "descent.serve", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
