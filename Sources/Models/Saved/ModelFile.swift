import Foundation
import TensorCore
import NeuralEngine
import SafeTensorsFormat

/// A saved model on disk: `NAME.safetensors` (the weights, with the `SavedModel` JSON in its
/// metadata) and `NAME.json` beside it (the same JSON, pretty-printed, for people). The
/// safetensors file is the one `load` reads; the JSON is a copy to read and diff.
public struct ModelFile: Sendable {
    public var model: SavedModel
    /// The weights by full name (`dense1.w` …), shaped as the architecture builds them.
    public var weights: [String: Tensor]

    public init(model: SavedModel, weights: [String: Tensor]) {
        self.model = model
        self.weights = weights
    }

    /// The two paths of `name`: `iris` → `iris.safetensors`, `iris.json` (an extension given
    /// is dropped, so `load iris.safetensors` works too).
    public static func paths(_ name: String) -> (weights: String, json: String) {
        var base = name
        for ext in [".safetensors", ".json"] where base.hasSuffix(ext) { base.removeLast(ext.count) }
        return (base + ".safetensors", base + ".json")
    }

    // MARK: - Bytes

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// The safetensors bytes and the readable JSON. Equal models give equal bytes.
    public func encoded() throws(DescentError) -> (weights: [UInt8], json: String) {
        let bytes = try safetensors()
        do {
            return (bytes, String(decoding: try Self.encoder(pretty: true).encode(model), as: UTF8.self) + "\n")
        } catch {
            throw DescentError("cannot write the model: \(error)")
        }
    }

    /// The safetensors bytes alone (the model's description compact in their metadata).
    public func safetensors() throws(DescentError) -> [UInt8] {
        do {
            let compact = String(decoding: try Self.encoder(pretty: false).encode(model), as: UTF8.self)
            let tensors = weights.map { SafeTensors.Tensor(name: $0.key, shape: $0.value.shape, scalars: $0.value.scalars) }
            return try SafeTensors.encode(tensors, metadata: [SavedModel.metadataKey: compact])
        } catch {
            throw DescentError("cannot write the model: \(error)")
        }
    }

    /// Reads and checks a whole file: the safetensors rules (`SafeTensors.read`), the metadata
    /// as a `SavedModel`, then every tensor's name and shape against the architecture (none
    /// missing, none extra), finite weights, and preprocessing that fits the model. `path` names
    /// the file in every error.
    public static func decode(_ bytes: [UInt8], path: String) throws(DescentError) -> ModelFile {
        func fail(_ reason: String) -> DescentError { DescentError("\(path): \(reason)") }
        let file: SafeTensors.File
        do { file = try SafeTensors.read(bytes) } catch { throw fail(error.reason) }
        guard let json = file.metadata[SavedModel.metadataKey] else {
            throw fail("no Descent model in its metadata (key \"\(SavedModel.metadataKey)\"): "
                       + "a file of weights alone loads with `load weights \(path)` into the model you set up")
        }
        let (model, built) = try description(Array(json.utf8), path: path)
        let weights = try tensors(of: file, for: built, path: path)
        return ModelFile(model: model, weights: weights)
    }

    /// The model's description (the JSON in the metadata, and in `NAME.json`) decoded, its
    /// format checked, its architecture built (names and shapes only) and its preprocessing
    /// checked against that model. `path` names the file in every error.
    public static func description(_ json: [UInt8], path: String) throws(DescentError) -> (SavedModel, Sequential) {
        func fail(_ reason: String) -> DescentError { DescentError("\(path): \(reason)") }
        let model: SavedModel
        do {
            model = try decoder.decode(SavedModel.self, from: Data(json))
        } catch let error as DecodingError {
            throw fail("its model description: \(Self.describe(error))")
        } catch {
            throw fail("its model description: \(error)")
        }
        guard model.format == SavedModel.currentFormat else {
            throw fail("format \"\(model.format)\", this Descent reads \"\(SavedModel.currentFormat)\"")
        }
        let built: Sequential
        do {
            var unused = SeededGenerator(seed: 0)   // only names and shapes are read
            built = try Sequential(model.architecture, rng: &unused)
        } catch {
            throw fail("its architecture does not build: \(error)")
        }
        try check(model, outputs: built.outputShape.reduce(1, *), path: path)
        return (model, built)
    }

    /// The file's tensors, checked name by name and shape by shape against what the model
    /// builds, before anything else is touched.
    static func tensors(of file: SafeTensors.File, for built: Sequential,
                        path: String) throws(DescentError) -> [String: Tensor] {
        func fail(_ reason: String) -> DescentError { DescentError("\(path): \(reason)") }
        let expected = built.namedParameters
        let names = Set(file.entries.map(\.name))
        if let extra = file.entries.map(\.name).first(where: { name in !expected.contains { $0.name == name } }) {
            throw fail("tensor \"\(extra)\" is not a parameter of the model (it has "
                       + expected.map(\.name).joined(separator: ", ") + ")")
        }
        var weights: [String: Tensor] = [:]
        for (name, parameter) in expected {
            guard names.contains(name), let entry = file.entries.first(where: { $0.name == name }) else {
                throw fail("tensor \"\(name)\" is missing (the model's parameters: "
                           + expected.map(\.name).joined(separator: ", ") + ")")
            }
            guard entry.shape == parameter.value.shape else {
                throw fail("tensor \"\(name)\" has shape \(entry.shape), the model's \(name) is \(parameter.value.shape)")
            }
            do {
                weights[name] = try Tensor(shape: entry.shape, scalars: try file.floats(name))
            } catch let error as SafeTensorsError {
                throw fail(error.reason)
            } catch {
                throw fail("tensor \"\(name)\": \(error)")
            }
        }
        return weights
    }

    /// The preprocessing fits the model: one μ and σ per input feature (σ > 0, finite), a row
    /// schema that makes as many features, one class name per output of a classifier.
    static func check(_ model: SavedModel, outputs: Int, path: String) throws(DescentError) {
        func fail(_ field: String, _ reason: String) -> DescentError { DescentError("\(path): \(field): \(reason)") }
        let p = model.preprocessing
        guard p.inputShape == model.architecture.inputShape else {
            throw fail("preprocessing.inputShape", "\(p.inputShape) differs from the architecture's \(model.architecture.inputShape)")
        }
        let features = p.inputShape.reduce(1, *)
        let columns = model.architecture.inputShape.count == 1 ? features : nil
        if let columns {
            guard p.means.count == columns, p.deviations.count == columns else {
                throw fail("preprocessing.means", "expected \(columns) means and deviations, got \(p.means.count) and \(p.deviations.count)")
            }
        }
        guard p.means.allSatisfy(\.isFinite), p.deviations.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw fail("preprocessing.deviations", "expected finite means and positive deviations")
        }
        switch p.schema.form {
        case .columns(let cols):
            let made = cols.reduce(0) { n, c in if case .category(_, let v) = c { n + v.count } else { n + 1 } }
            guard made == features else {
                throw fail("preprocessing.schema", "its columns make \(made) features, the model takes \(features)")
            }
        case .values(let count):
            guard count == features else { throw fail("preprocessing.schema", "\(count) values, the model takes \(features)") }
        case let .text(vocabulary, length):
            guard vocabulary.count >= 2, length == features else {
                throw fail("preprocessing.schema", "a text schema needs <pad>, <unk> and length \(features)")
            }
        case let .symbols(vocabulary, prompt):
            guard !vocabulary.isEmpty, vocabulary.count * features == outputs, (0...features).contains(prompt) else {
                throw fail("preprocessing.schema", "a symbol schema needs one name per output symbol and a prompt of 0…\(features)")
            }
        }
        if !p.classNames.isEmpty {
            // One name per output, or two for a single output (a sigmoid or a margin).
            guard p.classNames.count == outputs || (outputs == 1 && p.classNames.count == 2) else {
                throw fail("preprocessing.classNames", "\(p.classNames.count) names for a model with \(outputs) outputs")
            }
        }
        if let t = p.targetScaling, !(t.mean.isFinite && t.deviation.isFinite && t.deviation > 0) {
            throw fail("preprocessing.targetScaling", "expected a finite mean and a positive deviation")
        }
    }

    /// A decoding error as the field path and what was wrong: `training.order[3]: expected Int`.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case let .keyNotFound(key, context): return "\(path(context.codingPath + [key])): missing"
        case let .typeMismatch(type, context): return "\(path(context.codingPath)): expected \(type)"
        case let .valueNotFound(type, context): return "\(path(context.codingPath)): expected \(type), found null"
        case let .dataCorrupted(context):
            return (context.codingPath.isEmpty ? "" : "\(path(context.codingPath)): ") + context.debugDescription
        @unknown default: return "\(error)"
        }
    }

    // MARK: - Files

    /// Writes both files, each atomically (temporary file, fsync, rename): a crash or a full
    /// disk leaves the old file or the new one, never half of one. Returns the bytes written.
    public func write(name: String) throws(DescentError) -> Int {
        let (bytes, json) = try encoded()
        let (weightsPath, jsonPath) = Self.paths(name)
        try AtomicFile.write(Data(bytes), to: weightsPath)
        try AtomicFile.write(Data(json.utf8), to: jsonPath)
        return bytes.count
    }

    /// Reads `NAME.safetensors`.
    public static func read(name: String) throws(DescentError) -> ModelFile {
        let path = paths(name).weights
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file"
            throw DescentError("\(path): \(reason)")
        }
        return try decode([UInt8](data), path: path)
    }
}
