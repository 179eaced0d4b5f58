import Foundation
import TerminalUI
import WorkbenchCore
import WorkbenchUI

/// A million training steps through the whole workbench, to show that memory stays flat: the
/// per-step histories (loss chart buckets, event ring, snapshot slots) are bounded; only the
/// per-epoch records (epoch log, epoch history) grow, by design.
///
/// W3's network on 500 xor points (400 after the session's 80/20 split), batch 10 (40 steps per
/// epoch), 25,000 epochs at full pace, the UI thread drawing the 120×40 workbench at 30 fps
/// (`ScreenBenchmark.trainAt30Hz`). Resident
/// memory is sampled every half second; the report compares the end with the first sample
/// taken after 10 % of the steps (when the run is warm).
@MainActor
public enum SoakBenchmark {
    public struct Result: Sendable {
        public var steps: Int
        /// (updates so far, resident MB).
        public var samples: [(updates: Int, residentMB: Double)]
        public var seconds: Double
    }

    public static func run(steps: Int = 1_000_000) -> Result {
        var samples: [(updates: Int, residentMB: Double)] = []
        var lastSample: UInt64 = 0
        let r = ScreenBenchmark.trainAt30Hz(epochs: max(1, steps / 40), drawing: true) { app in
            let now = DispatchTime.now().uptimeNanoseconds
            if now - lastSample >= 500_000_000 {
                samples.append((app.session.display.currentRun?.updates ?? 0, ProcessMemory.residentMB()))
                lastSample = now
            }
        }
        samples.append((r.app.session.display.currentRun?.updates ?? 0, ProcessMemory.residentMB()))
        return Result(steps: samples.last?.updates ?? 0, samples: samples, seconds: r.seconds)
    }

    public static func report(_ r: Result) -> String {
        let warm = r.samples.first { $0.updates >= r.steps / 10 } ?? r.samples[0]
        let end = r.samples.last!, peak = r.samples.map(\.residentMB).max()!
        let growth = end.residentMB - warm.residentMB
        func mb(_ x: Double) -> String { String(format: "%.1f", x) }
        var rows = "| updates | resident MB |\n|---:|---:|\n"
        let stride = max(1, r.samples.count / 10)
        for (i, s) in r.samples.enumerated() where i % stride == 0 || i == r.samples.count - 1 {
            rows += "| \(s.updates) | \(mb(s.residentMB)) |\n"
        }
        return """
        ## A million steps through the workbench (W3 network, batch 10, drawing at 30 fps)

        \(rows)
        \(r.steps) updates in \(String(format: "%.1f", r.seconds)) s; resident memory \(mb(warm.residentMB)) MB after \(warm.updates) updates, \(mb(end.residentMB)) MB at the end (\(growth >= 0 ? "+" : "")\(mb(growth)) MB), peak \(mb(peak)) MB
        bench soak steps=\(r.steps) rss_warm_mb=\(mb(warm.residentMB)) rss_end_mb=\(mb(end.residentMB)) rss_peak_mb=\(mb(peak)) growth_mb=\(mb(growth))

        """
    }
}
