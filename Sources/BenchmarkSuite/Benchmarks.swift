import Foundation

/// `descent bench [NAME …]`: runs the named benchmarks (all when none) and prints Markdown
/// tables followed by one machine-readable `bench NAME key=value …` line per measurement.
public enum Benchmarks {
    public static let names = ["ring", "reporting"]

    public static func run(_ requested: [String]) -> Int32 {
        let chosen = requested.isEmpty ? names : requested
        for name in chosen where !names.contains(name) {
            print("descent bench: unknown benchmark '\(name)'; available: \(names.joined(separator: ", "))")
            return 2
        }
        for name in chosen {
            switch name {
            case "ring":
                print("## Ring: events/s between two threads\n")
                print(RingBenchmark.report(RingBenchmark.run(events: 2_000_000)))
            case "reporting":
                print("## Training with event reporting on vs off\n")
                print(ReportingBenchmark.report(ReportingBenchmark.run()))
            default: break
            }
        }
        return 0
    }
}
