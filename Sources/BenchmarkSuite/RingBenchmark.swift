import EventRing
import Foundation
import TestSupport

/// One queue's throughput in ``RingBenchmark``: the median over repetitions.
public struct RingBenchmarkResult: Sendable, Equatable {
    /// Machine-readable name: `ring_spsc` or `ring_locked`.
    public var name: String
    /// What was measured, for people.
    public var label: String
    /// Events sent per repetition.
    public var events: Int
    /// Events per second of each repetition, in the order they ran.
    public var samples: [Double]

    /// The median of ``samples``.
    public var eventsPerSecond: Double {
        let sorted = samples.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// One line for scripts: `bench ring_spsc events_per_s=23000000`.
    public var benchLine: String {
        "bench \(name) events_per_s=\(Int(eventsPerSecond.rounded()))"
    }
}

/// Two-thread throughput of `SPSCRing` against a lock-protected queue of the same shape.
///
/// A producer thread sends `events` 32-byte events (the size of a training step event); a
/// consumer thread drains them in batches. Both queues hold 1024 slots; on full or empty a
/// side calls `sched_yield()` and retries, so nothing is dropped and every run moves the same
/// events. Repetitions of the two queues alternate, so machine noise hits both alike. The
/// consumer checks it received every event in order.
public enum RingBenchmark {
    /// Measures both queues `repetitions` times each; returns `[ring_spsc, ring_locked]`.
    public static func run(events: Int, repetitions: Int = 5) -> [RingBenchmarkResult] {
        precondition(events > 0 && repetitions > 0)
        let capacity = 1024
        var spsc: [Double] = [], locked: [Double] = []
        for _ in 0..<repetitions {
            spsc.append(measure(SPSCRing<BenchEvent>(capacity: capacity), events: events))
            locked.append(measure(LockedQueue<BenchEvent>(capacity: capacity), events: events))
        }
        return [
            RingBenchmarkResult(name: "ring_spsc", label: "SPSCRing (atomics)",
                                events: events, samples: spsc),
            RingBenchmarkResult(name: "ring_locked", label: "NSLock + ring array",
                                events: events, samples: locked),
        ]
    }

    /// A Markdown table of `results` (median, slowest and fastest run, speed against the last
    /// result), followed by one ``RingBenchmarkResult/benchLine`` per result.
    public static func report(_ results: [RingBenchmarkResult]) -> String {
        let baseline = results.last?.eventsPerSecond ?? 1
        var lines = [
            "| queue | events | median events/s | min | max | vs baseline |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for r in results {
            let ratio = String(format: "%.1fx", r.eventsPerSecond / baseline)
            lines.append("| \(r.label) | \(r.events) | \(millions(r.eventsPerSecond)) "
                + "| \(millions(r.samples.min() ?? 0)) | \(millions(r.samples.max() ?? 0)) | \(ratio) |")
        }
        lines.append("")
        lines += results.map(\.benchLine)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func millions(_ x: Double) -> String {
        String(format: "%.1f M", x / 1e6)
    }

    /// Sends `events` events through `queue` from one thread to another; returns events/s.
    static func measure<Q: BenchChannel>(_ queue: Q, events: Int) -> Double {
        let gate = StartGate()
        let consumer = JoinableThread(name: "bench-consumer") { () -> ContinuousClock.Instant in
            gate.wait()
            var expected = 0
            while expected < events {
                let n = queue.drain(max: .max) { event in
                    precondition(event.step == expected, "benchmark queue lost or reordered an event")
                    expected += 1
                }
                if n == 0 { backOff() }
            }
            return .now
        }
        let producer = JoinableThread(name: "bench-producer") { () -> ContinuousClock.Instant in
            gate.wait()
            let start = ContinuousClock.now
            for step in 0..<events {
                let event = BenchEvent(step: step, loss: 1 / Double(step + 1), metric: 0.5,
                                       seconds: Double(step) * 1e-3)
                while !queue.push(event) { backOff() }
            }
            return start
        }
        gate.open()
        let start = producer.join()
        let end = consumer.join()
        return Double(events) / ((end - start) / .seconds(1))
    }
}

/// What a side does when the queue is full (producer) or empty (consumer): give the core away.
/// On 2 cores shared with builds, spinning without yielding can starve the other side, and
/// yielding lets events pile up into batches, as with the UI's once-per-frame drain. (A pure
/// spin-retry measured about 22 M vs 6 M events/s here: the consumer's polling pulls the
/// `tail` cache line across on every push.)
@inline(__always)
private func backOff() {
    sched_yield()
}

/// A training-step-sized event: 32 bytes.
struct BenchEvent: Sendable, BitwiseCopyable {
    var step: Int
    var loss: Double
    var metric: Double
    var seconds: Double
}

/// The two operations the benchmark needs from a queue.
protocol BenchChannel: AnyObject, Sendable {
    func push(_ event: BenchEvent) -> Bool
    func drain(max: Int, _ body: (BenchEvent) -> Void) -> Int
}

extension SPSCRing: BenchChannel where Element == BenchEvent {}
extension LockedQueue: BenchChannel where Element == BenchEvent {}
