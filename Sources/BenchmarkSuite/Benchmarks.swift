import Foundation
import TensorCore

/// What `descent bench [NAME …] [--reps N] [--threads N]` runs: the named benchmarks (all when
/// none), printed as Markdown tables, each followed by a machine-readable
/// `bench NAME key=value …` line.
///
/// Names: the training workloads `W1` … `W6` (issue 6's table and the GPT; case-insensitive),
/// `learner` (each of them through the learner's path, headless and on the screen, beside the
/// bare loop; `learner-W3` one),
/// `sort` (minGPT's demo: 2,000 updates, then exact match on held-out sequences), `threads`
/// (W1 at 1 vs 2 OpenBLAS threads vs the batch split across 2 threads), `ring`, `reporting`,
/// `screen` (drawing at 30 fps vs headless), `soak` (resident memory over a million steps) and
/// `store` (W3 through `train` with the run store off and on; `runs` over 10,000 kept runs) and
/// `generate` (256 symbols from two GPTs with and without the KV cache). `--reps` sets the timed
/// repetitions (default 5, each after a warm-up), `--threads` the OpenBLAS threads for the
/// workloads (default 1).
public enum Benchmarks {
    public static let workloadNames = ["W1", "W2", "W3", "W4", "W5", "W6"]
    /// `learner` runs W1 … W6 through the learner's path; `learner-W3` one of them.
    public static let names = workloadNames + ["learner"] + workloadNames.map { "learner-\($0)" }
        + ["sort", "threads", "ring", "reporting", "screen", "soak", "store", "generate"]

    /// The benchmark `name` names (any case), or nil.
    public static func canonicalName(_ name: String) -> String? {
        names.first { $0.lowercased() == name.lowercased() }
    }

    /// Runs `requested` (all when empty) and prints their tables.
    public static func run(_ requested: [String], repetitions: Int, threads: Int) {
        // All of them: `learner` covers each `learner-W…` once; `generate` runs beside its
        // PyTorch peer in Benchmarks/generate-bench.sh (`make bench`).
        let all = names.filter { !$0.hasPrefix("learner-") && $0 != "generate" }
        // The same binary's speed differs by OpenBLAS's kernel: every table is read with it.
        print("OpenBLAS kernel: \(BLAS.kernel)" + (BLAS.kernelChosenAgain ? " (chosen by Descent: OpenBLAS fell back to Prescott on this CPU)" : "") + "\n")
        for name in requested.isEmpty ? all : requested {
            runOne(name, repetitions: repetitions, threads: threads)
        }
    }

    private static func runOne(_ name: String, repetitions: Int, threads: Int) {
        switch name {
        case "ring":
            print("## Ring: events/s between two threads\n")
            print(RingBenchmark.report(RingBenchmark.run(events: 2_000_000)))
        case "reporting":
            print("## Training with event reporting on vs off\n")
            print(ReportingBenchmark.report(ReportingBenchmark.run()))
        case "screen":
            print(MainActor.assumeIsolated { ScreenBenchmark.report(ScreenBenchmark.run()) })
        case "store":
            print(MainActor.assumeIsolated { StoreBenchmark.report(StoreBenchmark.run(rounds: repetitions)) })
        case "soak":
            print(MainActor.assumeIsolated { SoakBenchmark.report(SoakBenchmark.run()) })
        case "threads":
            print(ThreadScaling.report(ThreadScaling.run(pairs: repetitions)))
        case "sort":
            print(SortBenchmark.report(SortBenchmark.run()))
        case "generate":
            print(GenerateBenchmark.report(GenerateBenchmark.run(rounds: repetitions)))
        case "learner":
            print(MainActor.assumeIsolated {
                LearnerPathBenchmark.report(Workload.all.map { LearnerPathBenchmark.run($0, rounds: repetitions) })
            })
        case let name where name.hasPrefix("learner-"):
            guard let workload = Workload.named(String(name.dropFirst("learner-".count))) else { return }
            print(MainActor.assumeIsolated { LearnerPathBenchmark.report([LearnerPathBenchmark.run(workload, rounds: repetitions)]) })
        default:
            guard let workload = Workload.named(name) else { return }
            let r = WorkloadBenchmark.run(workload, repetitions: repetitions, threads: threads)
            print(WorkloadBenchmark.report(r))
        }
        fflush(nil)
    }
}
