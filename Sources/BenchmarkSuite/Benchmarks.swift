import Foundation

/// `descent bench [NAME …] [--reps N] [--threads N]`: runs the named benchmarks (all when
/// none) and prints Markdown tables, each followed by a machine-readable
/// `bench NAME key=value …` line.
///
/// Names: the training workloads `W1` … `W5` (issue 6's table; case-insensitive), `threads`
/// (W1 at 1 vs 2 OpenBLAS threads vs the batch split across 2 threads), `ring`, `reporting`,
/// `screen` (drawing at 30 fps vs headless) and `soak` (resident memory over a million steps). `--reps` sets the timed
/// repetitions (default 5, each after a warm-up), `--threads` the OpenBLAS threads for the
/// workloads (default 1).
public enum Benchmarks {
    public static let workloadNames = ["W1", "W2", "W3", "W4", "W5"]
    public static let names = workloadNames + ["threads", "ring", "reporting", "screen", "soak"]

    public static func run(_ arguments: [String]) -> Int32 {
        var requested: [String] = [], repetitions = 5, threads = 1
        var rest = arguments[...]
        while let arg = rest.popFirst() {
            switch arg {
            case "--reps", "--threads":
                guard let value = rest.popFirst().flatMap(Int.init), value >= 1 else {
                    print("descent bench: \(arg) needs a whole number ≥ 1")
                    return 2
                }
                if arg == "--reps" { repetitions = value } else { threads = value }
            default:
                guard let name = names.first(where: { $0.lowercased() == arg.lowercased() }) else {
                    print("descent bench: unknown benchmark '\(arg)'; available: \(names.joined(separator: ", "))")
                    return 2
                }
                requested.append(name)
            }
        }
        let explicit = !requested.isEmpty
        for name in explicit ? requested : names {
            runOne(name, repetitions: repetitions, threads: threads, explicit: explicit)
        }
        return 0
    }

    private static func runOne(_ name: String, repetitions: Int, threads: Int, explicit: Bool) {
        switch name {
        case "ring":
            print("## Ring: events/s between two threads\n")
            print(RingBenchmark.report(RingBenchmark.run(events: 2_000_000)))
        case "reporting":
            print("## Training with event reporting on vs off\n")
            print(ReportingBenchmark.report(ReportingBenchmark.run()))
        case "screen":
            print(MainActor.assumeIsolated { ScreenBenchmark.report(ScreenBenchmark.run()) })
        case "soak":
            print(MainActor.assumeIsolated { SoakBenchmark.report(SoakBenchmark.run()) })
        case "threads":
            print(ThreadScaling.report(ThreadScaling.run(pairs: repetitions)))
        default:
            guard let workload = Workload.named(name) else { return }
            let r = WorkloadBenchmark.run(workload, repetitions: repetitions, threads: threads)
            print(WorkloadBenchmark.report(r))
        }
        fflush(nil)
    }
}
