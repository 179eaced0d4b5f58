import Foundation
import TensorCore
import NeuralEngine

/// W1 with 1 and with 2 OpenBLAS threads, and with its batch split by hand across 2 threads
/// (`BatchSplit`), alternating epoch by epoch on warm trainers so the machine's noise hits all
/// alike; the figures that matter are the median ratios to 1 thread.
enum ThreadScaling {
    struct Result: Sendable {
        var oneThread: [Double] = []
        var twoThreads: [Double] = []
        var split: [Double] = []
        var ratios: [Double] = []
        var splitRatios: [Double] = []
    }

    static func run(pairs: Int) -> Result {
        let workload = Workload.w1
        let trainer = workload.makeTrainer()
        let updates = workload.updatesPerRepetition(trainer)
        let samples = Double(workload.samples * workload.epochsPerRepetition)
        BLAS.setThreads(1)
        timedEpoch(trainer, updates: updates, samples: samples)   // warm-up
        let split = BatchSplit(workload)
        defer { split.stop() }
        _ = split.timedEpoch(batch: workload.batchSize)
        var result = Result()
        for _ in 0..<max(1, pairs) {
            BLAS.setThreads(1)
            let one = timedEpoch(trainer, updates: updates, samples: samples)
            BLAS.setThreads(2)
            let two = timedEpoch(trainer, updates: updates, samples: samples)
            BLAS.setThreads(1)
            let halves = split.timedEpoch(batch: workload.batchSize)
            result.oneThread.append(one)
            result.twoThreads.append(two)
            result.split.append(halves)
            result.ratios.append(two / one)
            result.splitRatios.append(halves / one)
        }
        BLAS.setThreads(BLAS.defaultThreads)
        return result
    }

    @discardableResult
    private static func timedEpoch(_ trainer: Trainer, updates: Int, samples: Double) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<updates { _ = trainer.trainStep() }
        return samples / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func report(_ r: Result) -> String {
        func row(_ label: String, _ xs: [Double]) -> String {
            "| \(label) | \(Int(median(xs))) | \(Int(xs.min()!)) | \(Int(xs.max()!)) |\n"
        }
        let ratio = String(format: "%.3f", median(r.ratios))
        let splitRatio = String(format: "%.3f", median(r.splitRatios))
        return "## W1 with 1 vs 2 OpenBLAS threads vs the batch split across 2 threads (interleaved epochs)\n\n"
            + "| W1 samples/s | median | min | max |\n|---|---:|---:|---:|\n"
            + row("1 thread", r.oneThread) + row("2 OpenBLAS threads", r.twoThreads)
            + row("batch split, 2 threads × 1 OpenBLAS thread", r.split)
            + "\nmedian ratios to 1 thread over \(r.ratios.count) rounds: 2 OpenBLAS threads \(ratio), "
            + "batch split \(splitRatio)\n"
            + "bench W1_threads one_thread_samples_per_s=\(Int(median(r.oneThread))) "
            + "two_threads_samples_per_s=\(Int(median(r.twoThreads))) ratio=\(ratio) "
            + "split_samples_per_s=\(Int(median(r.split))) split_ratio=\(splitRatio)\n"
    }
}
