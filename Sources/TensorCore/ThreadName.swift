import CKernels

/// Names the calling thread as `top -H`, `perf` and gdb show it (at most 15 bytes are kept).
/// Foundation's `Thread.name` does not reach the system on Linux: every thread showed as
/// "descent", and telling the trainer from the session's thread took guessing.
public func nameThisThread(_ name: String) {
    descent_name_thread(name)
}
