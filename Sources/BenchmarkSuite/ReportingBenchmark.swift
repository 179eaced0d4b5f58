import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training

/// The cost of reporting: the same training with events on (a `TrainingRun` pushing a step event
/// per update and an epoch record per epoch, drained by a consumer thread as a screen would) and
/// off (`Trainer.trainStep` in a bare loop). Workload W3 of the README: 2-8-8-1 tanh, sigmoid
/// output, binary cross-entropy, Adam, batch 10, 500 samples (the xor set).
///
/// The two variants alternate, `repetitions` times each, and the figure that matters is the
/// median of the pair ratios, so machine noise hits both alike.
public enum ReportingBenchmark {
    public struct Result: Sendable {
        public var updatesPerSecondOff: [Double]
        public var updatesPerSecondOn: [Double]
        public var ratios: [Double]
        public var medianRatio: Double { median(ratios) }
    }

    static func makeTrainer(seed: UInt64) -> Trainer {
        var rng = SeededGenerator(seed: seed)
        let data = try! Dataset.synthetic(.xor, options: .init(n: 500), rng: &rng)
        let model = try! Sequential([try! Dense(units: 8, activation: .tanh), try! Dense(units: 8, activation: .tanh),
                                     try! Dense(units: 1, activation: .sigmoid)])
        return try! Trainer(model: model, loss: BinaryCrossEntropy(), optimizer: Adam(learningRate: 0.01),
                            x: data.features, y: data.targets, classes: 2, batchSize: 10, rng: rng)
    }

    /// Updates per second with reporting off: the bare synchronous loop.
    static func measureOff(epochs: Int) -> Double {
        let trainer = makeTrainer(seed: 1)
        let updates = epochs * trainer.updatesPerEpoch
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<updates { _ = trainer.trainStep() }
        return Double(updates) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Updates per second with reporting on: a `TrainingRun` on this thread, a consumer
    /// thread draining its ring as fast as it comes (a screen drains at 30 fps, which is cheaper).
    static func measureOn(epochs: Int) -> Double {
        let trainer = makeTrainer(seed: 1)
        let run = TrainingRun(trainer: trainer, epochs: epochs, validationX: Tensor(shape: [1, 2]),
                              validationY: Tensor(shape: [1, 1]))
        let consumer = Thread {
            while run.state != .finished {
                _ = run.events.drain { _ in }
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
        _ = measureOff(epochs: 2)   // warm-up
        var off: [Double] = [], on: [Double] = [], ratios: [Double] = []
        for _ in 0..<repetitions {
            let a = measureOff(epochs: epochs)
            let b = measureOn(epochs: epochs)
            off.append(a); on.append(b); ratios.append(b / a)
        }
        return Result(updatesPerSecondOff: off, updatesPerSecondOn: on, ratios: ratios)
    }

    public static func report(_ r: Result) -> String {
        let cost = (1 - r.medianRatio) * 100
        return """
        | W3 training (2-8-8-1, batch 10) | median updates/s | min | max |
        |---|---:|---:|---:|
        | reporting off (Trainer.trainStep loop) | \(Int(median(r.updatesPerSecondOff))) | \(Int(r.updatesPerSecondOff.min()!)) | \(Int(r.updatesPerSecondOff.max()!)) |
        | reporting on (TrainingRun + ring + epoch evaluation) | \(Int(median(r.updatesPerSecondOn))) | \(Int(r.updatesPerSecondOn.min()!)) | \(Int(r.updatesPerSecondOn.max()!)) |

        median on/off ratio of \(r.ratios.count) interleaved pairs: \(String(format: "%.3f", r.medianRatio)) (reporting costs \(String(format: "%.1f", cost)) %)
        bench reporting_off updates_per_s=\(Int(median(r.updatesPerSecondOff)))
        bench reporting_on updates_per_s=\(Int(median(r.updatesPerSecondOn))) ratio=\(String(format: "%.3f", r.medianRatio))

        """
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return 0 }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
