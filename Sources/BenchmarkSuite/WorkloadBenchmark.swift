import Foundation
import TensorCore
import NeuralEngine

/// Runs one `Workload`: a warm-up repetition, then `repetitions` timed ones on the same trainer
/// (steady state: buffers warm, Adam moments allocated), each a whole number of epochs.
enum WorkloadBenchmark {
    struct Result: Sendable {
        let name: String
        let title: String
        let unit: Workload.Unit
        let batchSize: Int
        let parameters: Int
        let threads: Int
        /// Samples per second (steps per second for `.steps`) of each timed repetition.
        let rates: [Double]
        /// Samples per second, whatever the unit (for GFLOP/s).
        let sampleRates: [Double]
        let flopsPerSample: Double?
        let peakResidentMB: Double
        let lastLoss: Float

        var medianRate: Double { median(rates) }
        var gflops: Double? { flopsPerSample.map { $0 * median(sampleRates) / 1e9 } }
    }

    /// `threads` 1: everything on one thread. 2: OpenBLAS's and `WorkSplit`'s threads as a
    /// training run computing alone gets them for this model (`TrainingRun.wantedPlan`): W1 gets
    /// a second OpenBLAS thread, W4 splits Adam. `descent bench threads` forces OpenBLAS's count.
    static func run(_ workload: Workload, repetitions: Int, threads: Int) -> Result {
        ProcessMemory.resetPeak()
        let trainer = workload.makeTrainer()
        let blas = threads >= 2 ? BLAS.threads(forProduct: trainer.model.largestProduct(batch: workload.batchSize)) : 1
        BLAS.setThreads(blas)
        let split = threads >= 2 && WorkSplit.threads(
            forLargestTensor: trainer.model.parameters.reduce(0) { max($0, $1.value.count) }, besideBLAS: blas) == 2
        let updates = workload.updatesPerRepetition(trainer)
        let samples = Double(workload.samples * workload.epochsPerRepetition)
        var loss = WorkSplit.allowing(split) { train(trainer, updates: updates) }   // warm-up
        var rates: [Double] = [], sampleRates: [Double] = []
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            loss = WorkSplit.allowing(split) { train(trainer, updates: updates) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            sampleRates.append(samples / seconds)
            rates.append(workload.unit == .samples ? samples / seconds : Double(updates) / seconds)
        }
        let peak = ProcessMemory.peakResidentMB()
        BLAS.setThreads(BLAS.defaultThreads)
        return Result(name: workload.name, title: workload.title, unit: workload.unit,
                      batchSize: workload.batchSize, parameters: trainer.model.parameterCount,
                      threads: threads, rates: rates, sampleRates: sampleRates,
                      flopsPerSample: workload.flopsPerSample, peakResidentMB: peak, lastLoss: loss)
    }

    /// `updates` training steps; returns the last step's loss (kept so nothing is optimised away).
    private static func train(_ trainer: Trainer, updates: Int) -> Float {
        var last: Float = 0
        for _ in 0..<updates { last = trainer.trainStep().loss }
        return last
    }

    /// A Markdown table and the closing machine-readable line.
    static func report(_ r: Result) -> String {
        let unit = r.unit == .samples ? "samples/s" : "steps/s"
        var rows = "| \(r.name) | median | min | max |\n|---|---:|---:|---:|\n"
        rows += "| \(unit) | \(int(median(r.rates))) | \(int(r.rates.min()!)) | \(int(r.rates.max()!)) |\n"
        if let f = r.flopsPerSample {
            let g = r.sampleRates.map { $0 * f / 1e9 }
            rows += "| GFLOP/s | \(fixed(median(g))) | \(fixed(g.min()!)) | \(fixed(g.max()!)) |\n"
        }
        let threads = r.threads == 1 ? "1 BLAS thread" : "\(r.threads) BLAS threads"
        return "## \(r.name): \(r.title)\n\n" + rows + "\n"
            + "\(r.parameters) parameters · batch \(r.batchSize) · \(threads) · "
            + "\(r.rates.count) timed repetitions after a warm-up · peak RSS \(fixed(r.peakResidentMB)) MB · "
            + "last loss \(String(format: "%.4f", r.lastLoss))\n" + benchLine(r) + "\n"
    }

    /// `bench W1 samples_per_s=81234 gflops=115.2 peak_rss_mb=60 params=235146 threads=1`.
    static func benchLine(_ r: Result) -> String {
        var line = "bench \(r.name)"
        if r.unit == .steps { line += " steps_per_s=\(int(r.medianRate))" }
        line += " samples_per_s=\(int(median(r.sampleRates)))"
        if let g = r.gflops { line += " gflops=\(fixed(g))" }
        line += " peak_rss_mb=\(int(r.peakResidentMB)) params=\(r.parameters) threads=\(r.threads)"
        line += " min=\(int(r.rates.min()!)) max=\(int(r.rates.max()!))"
        return line
    }

    static func int(_ x: Double) -> String { String(Int(x.rounded())) }
    static func fixed(_ x: Double) -> String { String(format: "%.1f", x) }
}
