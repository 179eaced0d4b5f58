import Synchronization
import TensorCore

/// The threads training may use, shared by every run: never more busy threads than the process
/// has CPUs, whatever the number of runs.
///
/// Each run computes on one thread, its driver's. A run may use a second one — OpenBLAS's, or
/// `WorkSplit`'s helper — only when the process may use at least `wideCores` CPUs, and only
/// while it is the only run computing: it then holds the budget's single wide grant. A run that finds another holding the grant waits before its next update
/// until the holder gives it back (the holder does so at its own next update, when it sees it is
/// no longer alone). So no product is ever computed with a thread count its run did not choose:
/// OpenBLAS's thread count is one setting for the whole process, and a product's last bits
/// depend on it. The budget is the only writer of that setting while runs train.
///
/// Protocol (all sequentially consistent, Dekker-style): a run that wants two threads first takes
/// the grant, then checks that it computes alone; a run that starts computing first counts itself
/// in, then checks the grant. Whichever comes second sees the other.
public final class ThreadBudget: Sendable {
    /// How a run's next update may compute.
    public enum Plan: Equatable, Sendable {
        /// On the run's own thread only.
        case one
        /// With a second OpenBLAS thread for its products.
        case blas
        /// With Adam's update and long fills split onto `WorkSplit`'s helper.
        case split

        public var threads: Int { self == .one ? 1 : 2 }
    }

    /// CPUs training may keep busy.
    public let cores: Int

    /// The fewest CPUs with which a run may compute on two threads: two for the run, the rest
    /// for the screen's thread, the interpreter's and the server's. Both second threads split
    /// an update's work in fixed halves, so when another thread takes the second core for a
    /// moment the whole update waits for it: on two CPUs, the same W1 run through `train` on two
    /// OpenBLAS threads took 2.0 to 4.6 s, and W4's with Adam split 0.2 to 0.8 s, headless and on
    /// the screen alike, where one thread keeps to the bare loop's speed (Docs/performance.md,
    /// "Threads").
    public static let wideCores = 4
    /// Runs computing now (running at any pace, or stepping).
    private let computing = Atomic<Int>(0)
    /// The run holding the wide grant (0: none) and what it uses it for.
    private let holder = Atomic<Int>(0)
    private let nextToken = Atomic<Int>(1)

    /// One budget for the process: OpenBLAS's thread setting is process-wide, so every session's
    /// runs share it. Set once at start, before any session (a learner's workbench in a class,
    /// `descent --confine`, trains on one thread whatever the machine).
    nonisolated(unsafe) public static var process = ThreadBudget()

    public init(cores: Int = BLAS.availableCPUs) {
        self.cores = max(1, cores)
    }

    /// A token naming one run to the budget.
    func makeToken() -> Int { nextToken.add(1, ordering: .relaxed).newValue }

    /// Runs computing now.
    public var computingRuns: Int { computing.load(ordering: .sequentiallyConsistent) }

    /// A run starts computing (starts running, or steps).
    func enter() { computing.add(1, ordering: .sequentiallyConsistent) }

    /// A run stops computing; it gives the grant back first if it holds it.
    func leave(_ token: Int) {
        release(token)
        computing.subtract(1, ordering: .sequentiallyConsistent)
    }

    /// What run `token` may use for its next update, given what it `wanted` (decided from its
    /// model alone); nil when another run holds the grant and `token` must wait.
    func plan(_ token: Int, wanted: Plan) -> Plan? {
        let current = holder.load(ordering: .sequentiallyConsistent)
        if current != 0 && current != token { return nil }
        guard wanted != .one, cores >= Self.wideCores else {
            release(token)
            return .one
        }
        if current == 0 {
            guard holder.compareExchange(expected: 0, desired: token, ordering: .sequentiallyConsistent).exchanged else {
                return nil
            }
        }
        guard computing.load(ordering: .sequentiallyConsistent) == 1 else {
            release(token)
            return .one
        }
        BLAS.setThreads(wanted == .blas ? 2 : BLAS.defaultThreads)
        return wanted
    }

    /// Gives the grant back if `token` holds it, with OpenBLAS back to its default first.
    func release(_ token: Int) {
        guard holder.load(ordering: .sequentiallyConsistent) == token else { return }
        BLAS.setThreads(BLAS.defaultThreads)
        holder.store(0, ordering: .sequentiallyConsistent)
    }
}
