import Dispatch

/// Where the server's async code runs: Dispatch's threads, not Swift's cooperative pool.
///
/// The cooperative pool has one thread per core (two here) and is shared with the rest of the
/// process; code that blocks one of them (a test waiting for a run, the benchmark's clients)
/// would otherwise starve the server, which then did not even start within 10 s. Jobs of one
/// task never run at once, so a concurrent queue keeps each task's order and lets requests on
/// different connections run in parallel.
final class ServerExecutor: TaskExecutor {
    static let shared = ServerExecutor()
    private let queue = DispatchQueue(label: "descent.serve", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
