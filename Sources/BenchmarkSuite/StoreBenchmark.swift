import Foundation
import WorkbenchCore
import RunStore

/// What keeping runs costs (`descent bench store`): W3 through the learner's path (headless,
/// at full pace) with the run store off and on, in interleaved rounds; `runs` and a listing of
/// all of 10,000 kept runs; and the store's size per epoch and per run.
@MainActor
enum StoreBenchmark {
    struct Result {
        var off: [Double] = []
        var on: [Double] = []
        var epochs = 0
        var bytesPerEpoch = 0.0
        var bytesPerRun = 0.0
        var runsCommand: [Double] = []
        var listAll: [Double] = []
        var ratio: Double { median(zip(on, off).map { $0 / $1 }) }
    }

    static func folder() -> String {
        let path = NSTemporaryDirectory() + "descent-store-bench-\(getpid())"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func run(rounds: Int) -> Result {
        var result = Result()
        let folder = folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let w3 = Workload.named("W3")!
        // Warm-up, then interleaved rounds: off, on (a fresh store each, as a learner's first run).
        _ = try? LearnerPathBenchmark.learnerRun(w3, screen: false)
        for round in 0..<max(1, rounds) {
            let path = folder + "/w3-\(round).sqlite"
            do {
                let off = try LearnerPathBenchmark.learnerRun(w3, screen: false)
                let on = try LearnerPathBenchmark.learnerRun(w3, screen: false, store: path)
                result.off.append(off.rate)
                result.on.append(on.rate)
            } catch {
                print("store: \(error)")
            }
        }
        // Size per epoch: W3's one run of 16,000 epochs (its model is 113 parameters).
        if let store = try? RunStore.open(at: folder + "/w3-0.sqlite"), let run = try? store.list(RunFilter(), limit: 1).runs.first {
            result.epochs = run.epochs
            let empty = folder + "/empty.sqlite"
            let emptyBytes = (try? RunStore.open(at: empty)).map { s -> Int in s.close(); return fileBytes(empty) } ?? 0
            store.close()
            result.bytesPerEpoch = Double(fileBytes(folder + "/w3-0.sqlite") - emptyBytes) / Double(max(1, run.epochs))
        }
        // 10,000 kept runs of 20 epochs each, with a small model's weights, as many sessions make them.
        let many = folder + "/many.sqlite"
        if let store = try? RunStore.open(at: many) {
            let weights = [UInt8](repeating: 7, count: 1_200)   // a 2-8-8-1 MLP's safetensors file is about this size
            for session in 0..<100 {
                _ = try? store.beginSession(machine: "bench", build: "bench")
                var batch = StoreBatch()
                for n in 1...100 {
                    batch.newRuns.append(NewRun(sessionRun: n, role: "single", experimentFirstRun: nil, name: n % 10 == 0 ? "named\(n)" : nil,
                                                data: ["iris", "spiral n=400", "xor", "moons"][n % 4], model: ["mlp 8,8", "softmax", "mlp 16"][n % 3],
                                                optimizer: "adam lr=0.01", batch: "32", seed: UInt64(session), metricName: "acc",
                                                parameters: 113, setup: "{}", commands: ["seed \(session)", "data xor", "model mlp 8,8", "train epochs=20"]))
                    for e in 0..<20 {
                        batch.epochs.append((n, e, StoredEpoch(epoch: e + 1, update: (e + 1) * 40, trainLoss: 1 / Float(e + 1),
                                                               validationLoss: 1 / Float(e + 2), validationMetric: 0.9, learningRate: 0.01)))
                    }
                    batch.progress.append((n, RunProgress(status: "finished", name: nil, epochs: 20, updates: 800, seconds: 0.1,
                                                          learningRate: 0.01, trainLoss: 0.05, validationLoss: 0.06,
                                                          validationMetric: Float(n % 17) / 17, changes: [], record: "{}", weights: weights)))
                }
                _ = try? store.apply(batch)
            }
            result.bytesPerRun = Double(fileBytes(many)) / 10_000
            for _ in 0..<max(3, rounds) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try? store.list(RunFilter(), limit: 10_000)
                result.listAll.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            store.close()
            let session = Session()
            session.keepRuns(at: many, build: "bench")
            for _ in 0..<max(3, rounds) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                session.execute(line: "runs")
                result.runsCommand.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            session.shutDown()
        }
        return result
    }

    static func fileBytes(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }
    }

    static func report(_ r: Result) -> String {
        var out = "## The run store: what keeping runs costs\n\n"
        out += "| measure | store off | store on | ratio |\n|---|---:|---:|---:|\n"
        out += "| W3 through `train` (headless, full pace), steps/s | \(Int(median(r.off))) | \(Int(median(r.on))) "
            + "| \(String(format: "%.3f", r.ratio)) |\n\n"
        out += "| measure | median | max |\n|---|---:|---:|\n"
        out += "| `runs` over 10,000 kept runs (a page of 20, the count of all), ms | \(String(format: "%.1f", median(r.runsCommand))) "
            + "| \(String(format: "%.1f", r.runsCommand.max() ?? 0)) (the session's first: \(String(format: "%.1f", r.runsCommand.first ?? 0))) |\n"
        out += "| all 10,000 kept runs' summaries read, ms | \(String(format: "%.1f", median(r.listAll))) "
            + "| \(String(format: "%.1f", r.listAll.max() ?? 0)) |\n\n"
        out += "Size: \(String(format: "%.0f", r.bytesPerEpoch)) bytes per epoch (W3's run of \(r.epochs) epochs); "
            + "\(String(format: "%.0f", r.bytesPerRun)) bytes per run of 20 epochs with a 1.2 KB model (10,000 runs).\n"
        out += "bench store ratio=\(String(format: "%.3f", r.ratio)) off=\(Int(median(r.off))) on=\(Int(median(r.on))) "
            + "runs_ms=\(String(format: "%.1f", median(r.runsCommand))) list_all_ms=\(String(format: "%.1f", median(r.listAll))) "
            + "bytes_per_epoch=\(Int(r.bytesPerEpoch)) bytes_per_run=\(Int(r.bytesPerRun))\n"
        return out
    }
}
