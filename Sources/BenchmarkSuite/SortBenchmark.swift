import Foundation
import TensorCore
import NeuralEngine
import Datasets

/// minGPT's sorting demo, end to end: gpt-nano trained for 2,000 updates of 64 sequences with
/// Adam at 5e-4 (minGPT's `demo.ipynb`: "max_iters 2000", batch 64, lr 5e-4; it reports 5000/5000
/// right), then the exact match on the held-out split: 25,000 drawn problems split 0.8/0.2 so
/// that no distinct problem is on both sides, about 5,000 held-out sequences. One thread.
enum SortBenchmark {
    struct Result: Sendable {
        let updates: Int
        let seconds: Double
        let exactMatch: Double
        let heldOut: Int
        let distinctHeldOut: Int
        let parameters: Int
        let finalLoss: Float
    }

    static func run(updates: Int = 2_000) -> Result {
        BLAS.setThreads(1)
        var rng = SeededGenerator(seed: 67)
        let data = try! Dataset.symbolTask(.sort, count: 25_000, rng: &rng)
        let (train, heldOut) = try! data.split(trainFraction: 0.8, rng: &rng)
        let model = try! Sequential(try! Presets.gpt(vocabulary: 3, block: 11))
        let trainer = try! Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(), learningRate: 5e-4,
                                   x: train.features, y: train.targets, classes: 3, batchSize: 64, rng: rng)
        let start = DispatchTime.now().uptimeNanoseconds
        var loss: Float = 0
        for _ in 0..<updates { loss = trainer.trainStep().loss }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let evaluation = trainer.evaluate(x: heldOut.features, y: heldOut.targets)
        let distinct = Set((0..<heldOut.count).map { r in Array(heldOut.features.scalars[(r * 11)..<((r + 1) * 11)]) }).count
        return Result(updates: updates, seconds: seconds, exactMatch: evaluation.sequence?.exactMatch ?? .nan,
                      heldOut: heldOut.count, distinctHeldOut: distinct, parameters: model.parameterCount, finalLoss: loss)
    }

    static func report(_ r: Result) -> String {
        let right = Int((r.exactMatch * Double(r.heldOut)).rounded())
        return "## sort: minGPT's demo, gpt-nano on sorting 6 digits\n\n"
            + "| updates (batch 64) | seconds | held-out exact match |\n|---:|---:|---:|\n"
            + "| \(r.updates) | \(String(format: "%.1f", r.seconds)) | \(right)/\(r.heldOut) (\(String(format: "%.2f", r.exactMatch * 100)) %) |\n\n"
            + "\(r.parameters) parameters · 1 BLAS thread · \(r.distinctHeldOut) distinct held-out problems, none trained on · "
            + "last batch loss \(String(format: "%.4f", r.finalLoss))\n"
            + "bench sort seconds=\(String(format: "%.2f", r.seconds)) updates=\(r.updates) exact=\(String(format: "%.4f", r.exactMatch)) "
            + "held_out=\(r.heldOut) params=\(r.parameters)\n"
    }
}
