import Foundation
import ArgumentParser
import CommandLanguage
import Datasets
import SafeTensorsFormat
import Serving
import TerminalUI
import WorkbenchCore
import Models

/// Every reader of outside input, called on bytes as libFuzzer gives them (docs:
/// Docs/reliability.md). A reader may throw its error; a trap (`!`, `precondition`, overflow,
/// an index out of range), a hang or unbounded memory is a bug. `make fuzz` runs each target
/// under libFuzzer; `make test` replays the committed corpus, `Fuzz/corpus/<target>/`.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// A REPL line: `parseLine`, then completion at its end.
    case command
    /// A Markdown notebook and every command in its cells.
    case notebook
    /// A CSV file, its last header column as the label.
    case csv
    /// IDX images and labels, gzip or not: the first two bytes give the image file's length.
    case idx
    /// A colour theme file.
    case theme
    /// A safetensors file read as `load NAME` reads one (the format, then the model in it).
    case safetensors
    /// The model description JSON (`NAME.json`, and the file's metadata): decoded and built.
    case architecture
    /// A `POST /v1/predict` body, for an iris classifier and a text classifier.
    case predict
    /// `descent`'s own arguments, NUL-separated.
    case arguments

    /// Runs one input through the reader; errors it throws are answers, not failures.
    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .command:
            _ = try? parseLine(text, line: 1)
            _ = completions(forLine: text)
        case .notebook:
            let notebook = Notebook(parsing: text, fileName: "fuzz.md")
            for cell in notebook.cells { _ = cell.commands() }
            _ = notebook.title
        case .csv:
            let header = text.split(whereSeparator: \.isNewline).first ?? ""
            let label = header.split(separator: ",").last.map(String.init) ?? ""
            _ = try? Dataset.csv(bytes: bytes, path: "fuzz.csv", label: label)
        case .idx:
            guard bytes.count >= 2 else { return }
            let length = min(Int(bytes[0]) << 8 | Int(bytes[1]), bytes.count - 2)
            _ = try? Dataset.idx(images: Array(bytes[2..<(2 + length)]), imagesPath: "images.idx",
                                 labels: Array(bytes[(2 + length)...]), labelsPath: "labels.idx")
        case .theme:
            _ = try? Theme.parse(text, name: "fuzz", file: "fuzz.theme")
        case .safetensors:
            if let file = try? SafeTensors.read(bytes) {
                for entry in file.entries { _ = try? file.floats(entry.name) }
            }
            _ = try? ModelFile.decode(bytes, path: "fuzz.safetensors")
        case .architecture:
            _ = try? ModelFile.description(bytes, path: "fuzz.json")
        case .predict:
            for predictor in FuzzPredictors.shared.all { _ = API.predict(bytes, predictor) }
        case .arguments:
            let arguments = text.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
            _ = try? Descent.parseAsRoot(arguments)
        }
    }

    /// The target's committed corpus folder, under the repository's `Fuzz/`.
    func corpus(in root: URL) -> URL { root.appendingPathComponent("Fuzz/corpus/\(rawValue)") }
}

/// Two small trained models to answer `predict` bodies: numbers (iris) and raw text (reviews).
/// Trained once per process, in a session of its own, on fixed seeds.
final class FuzzPredictors: Sendable {
    static let shared = FuzzPredictors()
    let all: [Predictor]

    private init() {
        all = [
            "seed 1\ndata iris\nmodel mlp 4\ntrain epochs=1",
            "seed 1\ndata reviews\nmodel textcls\ntrain epochs=1",
        ].map { script in
            let session = Session()
            let runner = ScriptRunner(session: session, stopOnFailure: true)
            runner.enqueue(script: script, file: "fuzz")
            guard runner.runToCompletion(), let predictor = try? Predictor(try session.modelFile()) else {
                fatalError("the fuzzing harness could not train its model: \(script)")
            }
            session.shutDown()
            return predictor
        }
    }
}
