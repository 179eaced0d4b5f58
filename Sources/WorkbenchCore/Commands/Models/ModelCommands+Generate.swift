import Foundation
import TensorCore
import Datasets
import CommandLanguage
import Models

extension ModelCommands {
    /// `generate [N] [temperature=T] [top_k=K] [prompt=TEXT]`: N characters written by the
    /// current character-level model after the prompt (`Sampling`), drawn from a generator of
    /// their own (the session's seed and the number of `generate`s before), so a notebook
    /// replays the same text and the next run's weights do not change.
    func generate(_ c: Command) throws(DescentError) {
        guard let data, case let .symbols(vocabulary, _, prompt) = data.full.kind else {
            throw DescentError("generate writes with a character-level model: `data words` (or `data text FILE`), `model gpt`, `train`")
        }
        guard prompt == 0 else {
            throw DescentError("generate continues text; a \(data.full.name) model answers problems: `predict` "
                               + (SamplePreview.symbols(of: data.full, row: 0)?.problem ?? ""))
        }
        let predictor = try Predictor(try modelFile(for: "generate"))
        let start = c.text("prompt") ?? (vocabulary.contains(".") ? "." : (vocabulary.contains("\n") ? "\n" : vocabulary[0]))
        var ids: [Int] = []
        for character in start {
            guard let id = vocabulary.firstIndex(of: String(character)) else {
                throw DescentError("generate: the prompt's \"\(character)\" is not among the model's \(vocabulary.count) characters "
                                   + "(\(vocabulary.map(SamplePreview.shown).joined()))")
            }
            ids.append(id)
        }
        guard !ids.isEmpty else { throw DescentError("generate: the prompt is empty; leave it out to start afresh") }
        var copy = bench.random.generator
        var rng = SeededGenerator(seed: copy.next() &+ UInt64(generated))
        generated += 1
        let written = predictor.write(after: [ids], count: c.positional(orDefault: 0).integer ?? 0,
                                      temperature: Float(c.number(orDefault: "temperature")), topK: c.integer("top_k"), rng: &rng)[0]
        let text = start + written.ids.map { vocabulary[$0] }.joined()
        if data.full.name == "words" {
            let words = text.split(separator: ".").map(String.init)
            let known = Set(Self.bundledWords ?? [])
            bench.say(words.joined(separator: " "), .result)
            let real = words.filter { known.contains($0) }.count
            bench.say("\(words.count) words, \(real) of them in the word list: the rest the model made up", .info)
        } else {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) { bench.say(String(line), .result) }
        }
    }

    /// The bundled word list, for telling invented words from real ones.
    static let bundledWords: [String]? = {
        guard let url = try? BundledData.url("words.txt"), let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }()
}
