import Foundation
import TensorCore
import NeuralEngine

/// W1 with 1 and with 2 OpenBLAS threads, alternating epoch by epoch on one warm trainer, so
/// the machine's noise hits both alike; the figure that matters is the median pair ratio.
enum ThreadScaling {
    struct Result: Sendable {
        var oneThread: [Double] = []
        var twoThreads: [Double] = []
        var ratios: [Double] = []
    }

    static func run(pairs: Int) -> Result {
        let workload = Workload.w1
        let trainer = workload.makeTrainer()
        let updates = workload.updatesPerRepetition(trainer)
        let samples = Double(workload.samples * workload.epochsPerRepetition)
        BLAS.setThreads(1)
        timedEpoch(trainer, updates: updates, samples: samples)   // warm-up
        var result = Result()
        for _ in 0..<max(1, pairs) {
            BLAS.setThreads(1)
            let one = timedEpoch(trainer, updates: updates, samples: samples)
            BLAS.setThreads(2)
            let two = timedEpoch(trainer, updates: updates, samples: samples)
            result.oneThread.append(one)
            result.twoThreads.append(two)
            result.ratios.append(two / one)
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
        return "## W1 with 1 vs 2 OpenBLAS threads (interleaved epochs)\n\n"
            + "| W1 samples/s | median | min | max |\n|---|---:|---:|---:|\n"
            + row("1 thread", r.oneThread) + row("2 threads", r.twoThreads)
            + "\nmedian 2-thread/1-thread ratio of \(r.ratios.count) pairs: \(ratio)\n"
            + "bench W1_threads one_thread_samples_per_s=\(Int(median(r.oneThread))) "
            + "two_threads_samples_per_s=\(Int(median(r.twoThreads))) ratio=\(ratio)\n"
    }
}
