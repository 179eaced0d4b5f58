import CKernels
import NIOCore

/// Where the server's event loops run: each kept on a CPU of its own while the server serves
/// only models that answer at once, free to move while it serves a GPT.
///
/// SwiftNIO starts one event-loop thread per CPU and leaves placing them to the kernel. Under
/// load with a run training, the kernel left both loops on one CPU of two for seconds while the
/// other ran the load generator and the trainer (`perf sched timehist`): the two loops took
/// turns of a scheduler tick, up to 4.6 ms, and the requests of the loop waiting waited with it.
/// Side by side on 2026-12-07 (2 CPUs, v2 infer of iris, `wrk -t1 -c16`, 3 rounds each): while
/// a run trained, p99 2.51–4.40 ms with the kernel placing the loops, 1.31–1.71 ms with each on
/// its own CPU; idle, 1.03–1.20 and 1.04–1.18. (The trainer runs under SCHED_IDLE, so a loop
/// that wakes on its CPU takes it at once.) A served GPT's writing loop is a thread that
/// computes without pause, though, and a loop kept on its CPU can only take turns with it:
/// 16 streams ran at 11,000–13,800 tokens/s with the loops kept and 15,700–19,500 free.
///
/// Kept only when the loops are as many as the CPUs the process may use (NIO's default; a
/// `taskset` mask counts). A server's loops are NIO's one group for the whole process, so the
/// latest server to start or change its models decides.
enum EventLoopPlacement {
    /// Each loop on its own CPU (`keep`) or on any of the process's (a job on each loop, run
    /// before any job given to it later).
    static func place(_ group: any EventLoopGroup, keep: Bool) {
        let loops = Array(group.makeIterator())
        let each = keep && loops.count >= 2 && loops.count == Int(descent_available_cpus())
        for (index, loop) in loops.enumerated() {
            loop.execute { _ = descent_keep_on_cpu(each ? Int32(index) : -1) }
        }
    }
}
