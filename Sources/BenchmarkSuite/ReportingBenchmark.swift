import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training

/// The cost of reporting, on workload W3 (2-8-8-1 tanh, sigmoid output, binary cross-entropy,
/// Adam, batch 10, the 500-point xor set), three ways in one interleaved run:
///
/// - events on: a `TrainingRun` pushing a step event per update into the ring (drained by a
///   consumer thread as fast as it comes) — what a screen gets;
/// - events off: the same `TrainingRun` with `reportsSteps = false` — the issue's "reporting
///   off"; the ratio on/off is what the ring costs;
/// - bare loop: `Trainer.trainStep` alone, no run around it (no controls, checkpoints, epoch
///   evaluation) — what the whole run machinery costs, for information.
///
/// The figure that matters is the median of the per-round ratios, so machine noise hits all alike.
public enum ReportingBenchmark {
    public struct Result: Sendable {
        public var bare: [Double]
        public var off: [Double]
        public var on: [Double]
        public var ratios: [Double]
        public var machineryRatios: [Double]
        public var medianRatio: Double { median(ratios) }
    }

    static func makeTrainer(seed: UInt64) -> Trainer {
        var rng = SeededGenerator(seed: seed)
        let data = try! Dataset.synthetic(.xor, options: .init(n: 500), rng: &rng)
        let model = try! Sequential([try! Dense(units: 8, activation: .tanh), try! Dense(units: 8, activation: .tanh),
                                     try! Dense(units: 1, activation: .sigmoid)])
        return try! Trainer(model: model, loss: BinaryCrossEntropy(), optimizer: Adam(), learningRate: 0.01,
                            x: data.features, y: data.targets, classes: 2, batchSize: 10, rng: rng)
    }

    /// Updates per second of the bare synchronous loop (no run, no validation, no reports).
    static func measureBare(epochs: Int) -> Double {
        let trainer = makeTrainer(seed: 1)
        let updates = epochs * trainer.updatesPerEpoch
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<updates { _ = trainer.trainStep() }
        return Double(updates) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Updates per second of a `TrainingRun` on this thread with step events on or off, a
    /// consumer thread draining its ring as fast as it comes (a screen drains at 30 fps, which
    /// is cheaper).
    static func measureRun(epochs: Int, reporting: Bool) -> Double {
        let trainer = makeTrainer(seed: 1)
        let run = TrainingRun(trainer: trainer, epochs: epochs, validationX: Tensor(shape: [1, 2]),
                              validationY: Tensor(shape: [1, 1]))
        run.reportsSteps = reporting
        let consumer = Thread {
            while run.state != .finished {
                _ = run.steps.drain { _ in }
                usleep(1000)
            }
        }
        consumer.start()
        let start = DispatchTime.now().uptimeNanoseconds
        while case .again = run.advance() {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(trainer.updates) / seconds
    }

    public static func run(epochs: Int = 40, repetitions: Int = 7) -> Result {
        _ = measureBare(epochs: 2)   // warm-up
        var r = Result(bare: [], off: [], on: [], ratios: [], machineryRatios: [])
        for _ in 0..<repetitions {
            let bare = measureBare(epochs: epochs)
            let off = measureRun(epochs: epochs, reporting: false)
            let on = measureRun(epochs: epochs, reporting: true)
            r.bare.append(bare); r.off.append(off); r.on.append(on)
            r.ratios.append(on / off); r.machineryRatios.append(off / bare)
        }
        return r
    }

    public static func report(_ r: Result) -> String {
        func row(_ name: String, _ xs: [Double]) -> String {
            "| \(name) | \(Int(median(xs))) | \(Int(xs.min() ?? 0)) | \(Int(xs.max() ?? 0)) |"
        }
        return """
        | W3 training (2-8-8-1, batch 10) | median updates/s | min | max |
        |---|---:|---:|---:|
        \(row("TrainingRun, step events on (ring, drained by a second thread)", r.on))
        \(row("TrainingRun, step events off", r.off))
        \(row("bare Trainer.trainStep loop (no run machinery)", r.bare))

        median on/off ratio of \(r.ratios.count) interleaved rounds: \(String(format: "%.3f", r.medianRatio)) (reporting costs \(String(format: "%.1f", (1 - r.medianRatio) * 100)) %); the run machinery around the trainer (controls, checkpoints, per-epoch validation) costs \(String(format: "%.1f", (1 - median(r.machineryRatios)) * 100)) % more
        bench reporting_on updates_per_s=\(Int(median(r.on))) ratio=\(String(format: "%.3f", r.medianRatio))
        bench reporting_off updates_per_s=\(Int(median(r.off)))
        bench trainer_bare updates_per_s=\(Int(median(r.bare)))

        """
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
