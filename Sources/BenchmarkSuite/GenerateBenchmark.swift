import Foundation
import TensorCore
import NeuralEngine
import SafeTensorsFormat

/// `descent bench generate`: writing 256 symbols, greedy, one sequence, from a one-symbol
/// prompt, with the KV cache (`CachedDecoder`) and without it (the whole window's pass per
/// symbol, as before), interleaved; for minGPT's gpt-nano (3 layers, 3 heads, width 48) and a
/// 4-layer width-128 model (4 heads), vocabulary 65, block 257 (so the window never slides).
/// With `DESCENT_BENCH_MODELS=FOLDER`, each model's weights and the symbols Descent wrote go
/// there for the PyTorch peer (Benchmarks/generate_peer.py, run by Benchmarks/generate-bench.sh).
enum GenerateBenchmark {
    struct Model {
        var name: String
        var layers: Int, heads: Int, width: Int
    }

    struct Result {
        var model: Model
        var parameters: Int
        var plain: [Double]   // tokens/s per round
        var cached: [Double]
        var same: Bool
    }

    static let models = [Model(name: "gpt-nano", layers: 3, heads: 3, width: 48),
                         Model(name: "gpt-4x128", layers: 4, heads: 4, width: 128)]
    static let vocabulary = 65, block = 257, tokens = 256

    static func run(rounds: Int) -> [Result] {
        models.map { spec in
            var rng = SeededGenerator(seed: 11)
            guard let model = try? Sequential(try Presets.gpt(vocabulary: vocabulary, block: block, layers: spec.layers,
                                                              heads: spec.heads, width: spec.width)),
                  (try? model.build(inputShape: [block], rng: &rng)) != nil else {
                return Result(model: spec, parameters: 0, plain: [], cached: [], same: false)
            }
            model.foldHead(.softmax)
            func write(cached: Bool) -> (ids: [Int], seconds: Double) {
                var draws = SeededGenerator(seed: 1)
                let start = DispatchTime.now().uptimeNanoseconds
                let ids = Sampling.write(after: [[0]], count: tokens, block: block, rng: &draws,
                                         decoder: cached ? CachedDecoder(model) : nil) { try? model.predict($0) }.first?.ids ?? []
                return (ids, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            let warm = (write(cached: false).ids, write(cached: true).ids)
            var plain: [Double] = [], cached: [Double] = []
            for _ in 0..<rounds {
                plain.append(Double(tokens) / write(cached: false).seconds)
                cached.append(Double(tokens) / write(cached: true).seconds)
            }
            if let folder = ProcessInfo.processInfo.environment["DESCENT_BENCH_MODELS"] {
                let tensors = model.parameterValues.sorted { $0.key < $1.key }.map {
                    SafeTensors.Tensor(name: $0.key, shape: $0.value.shape, scalars: $0.value.scalars)
                }
                let metadata = ["layers": "\(spec.layers)", "heads": "\(spec.heads)", "width": "\(spec.width)",
                                "vocabulary": "\(vocabulary)", "block": "\(block)", "tokens": "\(tokens)",
                                "written": warm.1.map(String.init).joined(separator: " ")]
                if let bytes = try? SafeTensors.encode(tensors, metadata: metadata) {
                    FileManager.default.createFile(atPath: folder + "/\(spec.name).safetensors", contents: Data(bytes))
                }
            }
            return Result(model: spec, parameters: model.parameterCount, plain: plain, cached: cached, same: warm.0 == warm.1)
        }
    }

    static func report(_ results: [Result]) -> String {
        func median(_ v: [Double]) -> Double { v.isEmpty ? .nan : v.sorted()[v.count / 2] }
        var lines = ["## Writing 256 symbols: the KV cache against the whole window's pass per symbol\n",
                     "| model | parameters | whole window (before) | KV cache | ratio | same symbols |",
                     "|---|---:|---:|---:|---:|---|"]
        for r in results {
            lines.append("| \(r.model.name) (\(r.model.layers) layers, \(r.model.heads) heads, width \(r.model.width)) | \(r.parameters) "
                         + "| \(Int(median(r.plain))) tokens/s | \(Int(median(r.cached))) tokens/s "
                         + "| \(String(format: "%.1f", median(r.cached) / median(r.plain)))x | \(r.same ? "yes" : "NO") |")
        }
        lines.append("")
        for r in results {
            lines.append("bench generate model=\(r.model.name) plain_tokens_per_s=\(Int(median(r.plain))) "
                         + "cached_tokens_per_s=\(Int(median(r.cached))) same=\(r.same)")
        }
        return lines.joined(separator: "\n")
    }
}
