import Foundation
import Datasets
import SafeTensorsFormat
import Models

/// The Open Inference Protocol v2 over REST (KServe, Triton, MLServer), as
/// `../shared/INTERFACES.md` sums it up from kserve/open-inference-protocol
/// `specification/protocol/inference_rest.md` and Triton's binary tensor data extension:
///
/// - `GET /v2`, `/v2/health/live`, `/v2/health/ready`;
/// - `GET /v2/models/{name}[/versions/{v}]` (metadata) and `…/ready`;
/// - `POST /v2/models/{name}[/versions/{v}]/infer`, tensors in JSON or, after a JSON header of
///   `Inference-Header-Content-Length` bytes, as binary (little-endian, row-major; a BYTES
///   element is a u32 length and its bytes).
///
/// The served model has one input, `input`, and the outputs its kind gives (`Tensors`); every
/// row goes through `Predictor.predict`, the path `predict` and `/v1/predict` take.
enum OpenInference {
    static let binaryHeader = "Inference-Header-Content-Length"

    /// A tensor as the protocol describes it: name, datatype, shape (−1 for the batch).
    struct TensorSpec: Equatable {
        var name: String
        var datatype: String
        var shape: [Int]

        var json: JSONValue {
            .object([("name", .string(name)), ("datatype", .string(datatype)), ("shape", .array(shape.map { .number(Double($0)) }))])
        }
    }

    /// The served model's input tensor.
    static func input(of predictor: Predictor) -> TensorSpec {
        let schema = predictor.card.preprocessing.schema
        switch schema.form {
        case .columns(let columns):
            let categorical = columns.contains { if case .category = $0 { true } else { false } }
            return TensorSpec(name: "input", datatype: categorical ? "BYTES" : "FP32", shape: [-1, columns.count])
        case .values(let count): return TensorSpec(name: "input", datatype: "FP32", shape: [-1, count])
        case .text: return TensorSpec(name: "input", datatype: "BYTES", shape: [-1, 1])
        case .symbols(_, let prompt): return TensorSpec(name: "input", datatype: "BYTES", shape: [-1, prompt])
        }
    }

    /// The served model's output tensors.
    static func outputs(of predictor: Predictor) -> [TensorSpec] {
        let card = predictor.card
        if case .symbols(_, let prompt) = card.preprocessing.schema.form {
            let length = card.preprocessing.inputShape.reduce(1, *) + 1 - prompt
            return [TensorSpec(name: "answer", datatype: "BYTES", shape: [-1, length]),
                    TensorSpec(name: "answer_probabilities", datatype: "FP32", shape: [-1, length])]
        }
        guard let classes = card.classNames else { return [TensorSpec(name: "value", datatype: "FP32", shape: [-1, 1])] }
        let scored = card.loss == .hinge
        return [TensorSpec(name: "class", datatype: "BYTES", shape: [-1, 1]),
                scored ? TensorSpec(name: "score", datatype: "FP32", shape: [-1, 1])
                       : TensorSpec(name: "probabilities", datatype: "FP32", shape: [-1, classes.count])]
    }

    // MARK: - Routes

    /// The answer to a `/v2…` request, or nil when the path is not this protocol's.
    static func answer(method: String, path: String, headers: [String: String], body: () async throws(API.BodyFailure) -> [UInt8],
                       models: [Predictor]) async -> API.Answer? {
        guard path == "/v2" || path.hasPrefix("/v2/") else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2).map(String.init)
        func only(_ allowed: String, _ make: () -> API.Answer) -> API.Answer {
            method == allowed ? make() : API.notAllowed(method, allowed)
        }
        switch parts {
        case []:
            return only("GET") {
                API.json(.object([("name", .string("descent")), ("version", .string(descentVersion)),
                                  ("extensions", .array([.string("binary_tensor_data")]))]))
            }
        case ["health", "live"]: return only("GET") { API.Answer(status: 200, body: "{}") }
        case ["health", "ready"]:
            return only("GET") { models.isEmpty ? error(503, "no model is being served") : API.Answer(status: 200, body: "{}") }
        default: break
        }
        guard parts.first == "models", parts.count >= 2 else { return error(404, "no such path: \(path)") }
        var rest = Array(parts.dropFirst(2))
        let name = parts[1]
        if rest.count >= 2, rest[0] == "versions" { rest.removeFirst(2) }
        guard !models.isEmpty else { return error(503, "no model is being served") }
        guard let predictor = models.first(where: { $0.name == name }) else {
            return error(404, "no model named \(name): this server serves \(models.map(\.name).joined(separator: ", "))")
        }
        // A model that continues text has no fixed input tensor: it answers OpenAI's API.
        guard !OpenAICompatible.writers([predictor]).contains(where: { $0.name == name }) else {
            return error(404, "\(name) writes text: POST /v1/completions or /v1/chat/completions with \"model\": \"\(name)\"")
        }
        switch rest {
        case []: return only("GET") { metadata(predictor) }
        case ["ready"]: return only("GET") { API.json(.object([("name", .string(predictor.name)), ("ready", .bool(true))])) }
        case ["infer"]:
            guard method == "POST" else { return API.notAllowed(method, "POST") }
            let bytes: [UInt8]
            do { bytes = try await body() } catch { return self.error(error.status, error.reason) }
            return infer(bytes, headerLength: headers[binaryHeader.lowercased()], predictor: predictor)
        default: return error(404, "no such path: \(path)")
        }
    }

    static let descentVersion = "1"

    /// The model a `POST /v2/models/NAME[/versions/V]/infer` path names, when it is served and
    /// takes a tensor (not a model that writes text); nil for any other path.
    static func inferTarget(_ path: String, models: [Predictor]) -> Predictor? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5 || parts.count == 7, parts[0].isEmpty, parts[1] == "v2", parts[2] == "models",
              parts.last == "infer", parts.count == 5 || parts[4] == "versions" else { return nil }
        let name = String(parts[3])
        guard let predictor = models.first(where: { $0.name == name }),
              !OpenAICompatible.writers([predictor]).contains(where: { $0.name == name }) else { return nil }
        return predictor
    }

    static func error(_ status: Int, _ message: String) -> API.Answer {
        API.Answer(status: status, body: JSONValue.object([("error", .string(message))]).text)
    }

    static func metadata(_ predictor: Predictor) -> API.Answer {
        API.json(.object([("name", .string(predictor.name)), ("versions", .array([.string("1")])), ("platform", .string("descent")),
                          ("inputs", .array([input(of: predictor).json])),
                          ("outputs", .array(outputs(of: predictor).map(\.json)))]))
    }

    // MARK: - Inference

    /// Why a request was refused: its status and the message.
    struct Refusal: Error {
        var status: Int
        var message: String
        init(_ message: String, status: Int = 400) {
            self.status = status
            self.message = message
        }
    }

    static func infer(_ bytes: [UInt8], headerLength: String?, predictor: Predictor) -> API.Answer {
        do {
            return try inferring(bytes, headerLength: headerLength, predictor: predictor)
        } catch {
            return self.error(error.status, error.message)
        }
    }

    private static func inferring(_ bytes: [UInt8], headerLength: String?, predictor: Predictor) throws(Refusal) -> API.Answer {
        // The JSON header, and the binary tensors after it when the extension is used.
        var jsonBytes = bytes[...]
        var binary = bytes[bytes.endIndex...]
        if let headerLength {
            guard let n = Int(headerLength), n >= 0, n <= bytes.count else {
                throw Refusal("\(binaryHeader): expected a byte count up to the body's \(bytes.count), got \(headerLength)")
            }
            jsonBytes = bytes[..<n]
            binary = bytes[n...]
        }
        let json: JSONValue
        do {
            json = try StrictJSON.parse(Array(jsonBytes), finiteNumbersOnly: false)
        } catch {
            throw Refusal("malformed JSON at byte \(error.offset): \(error.reason)")
        }
        guard case .object(let request) = json else { throw Refusal(#"expected a JSON object {"inputs": [...]}"#) }
        func member(_ key: String, of object: [(key: String, value: JSONValue)]) -> JSONValue? { object.first { $0.key == key }?.value }
        guard case .array(let inputs)? = member("inputs", of: request), inputs.count == 1, case .object(let tensor) = inputs[0] else {
            throw Refusal("inputs: expected one tensor, \(input(of: predictor).name)")
        }
        let expected = input(of: predictor)
        guard case .string(let name)? = member("name", of: tensor), name == expected.name else {
            throw Refusal("inputs[0].name: expected \"\(expected.name)\"")
        }
        let accepted = datatypes(of: predictor)
        guard case .string(let datatype)? = member("datatype", of: tensor), accepted.contains(datatype) else {
            throw Refusal("inputs[0].datatype: expected \(accepted.joined(separator: " or "))")
        }
        let width = expected.shape[1]
        guard case .array(let shapeValues)? = member("shape", of: tensor), shapeValues.count == 2,
              case .number(let rowCount) = shapeValues[0], rowCount == rowCount.rounded(), shapeValues[1] == .number(Double(width)) else {
            throw Refusal("inputs[0].shape: expected [rows, \(width)], got \(member("shape", of: tensor)?.text.prefix(40) ?? "nothing")")
        }
        guard rowCount >= 1, rowCount <= Double(Predictor.maxRows) else {
            throw Refusal("inputs[0].shape: between 1 and \(Predictor.maxRows) rows, got \(rowCount)")
        }
        let rows = Int(rowCount)
        let count = rows * width
        // The elements, from JSON `data` or from the binary part.
        var cells: [InputSchema.Cell]
        if case .object(let parameters)? = member("parameters", of: tensor), case .number(let size)? = member("binary_data_size", of: parameters) {
            guard size >= 0, size <= Double(binary.count) else {
                throw Refusal("inputs[0].parameters.binary_data_size: \(size) bytes, but \(binary.count) follow the JSON")
            }
            cells = try decode(binary.prefix(Int(size)), datatype: datatype, count: count)
            binary = binary.dropFirst(Int(size))
        } else {
            guard let data = member("data", of: tensor) else { throw Refusal("inputs[0].data: missing (or binary_data_size)") }
            let flat = try elements(of: data, rows: rows, width: width)
            cells = try flat.enumerated().map { i, v throws(Refusal) -> InputSchema.Cell in try cell(v, datatype: datatype, at: i) }
        }
        // A numeric column of a table sent as BYTES is a number written plainly.
        if datatype == "BYTES", case .columns(let columns) = predictor.card.preprocessing.schema.form {
            for i in cells.indices {
                guard case .number(let column) = columns[i % width], case .text(let s) = cells[i] else { continue }
                guard let x = NumberText.value(of: s) else {
                    throw Refusal("inputs[0].data[\(i)]: column \(column) takes a number written plainly (\(NumberText.pattern)), got \"\(s.prefix(40))\"")
                }
                cells[i] = .number(x)
            }
        }
        let table = (0..<rows).map { r in Array(cells[(r * width)..<((r + 1) * width)]) }
        let predictions: [Prediction]
        do {
            predictions = try predictor.predict(table)
        } catch {
            throw Refusal("row \(error.row)\(error.column.map { ", column \($0)" } ?? ""): \(error.reason) (a row is: \(predictor.card.preprocessing.schema.usage))", status: 400)
        }
        // Which outputs, and which of them in binary.
        let available = outputs(of: predictor)
        var binaryAll = false
        if let parameters = member("parameters", of: request) {
            guard case .object(let p) = parameters else { throw Refusal("parameters: expected an object") }
            if let b = member("binary_data_output", of: p) {
                guard case .bool(let b) = b else { throw Refusal("parameters.binary_data_output: expected true or false") }
                binaryAll = b
            }
        }
        var wanted: [(TensorSpec, Bool)] = available.map { ($0, binaryAll) }
        if let asked = member("outputs", of: request) {
            guard case .array(let list) = asked else { throw Refusal("outputs: expected a list of {\"name\"}") }
            wanted = try list.map { v throws(Refusal) -> (TensorSpec, Bool) in
                guard case .object(let o) = v, case .string(let n)? = member("name", of: o), let spec = available.first(where: { $0.name == n }) else {
                    throw Refusal("outputs: each a known name: \(available.map(\.name).joined(separator: ", "))")
                }
                var binary = binaryAll
                if let parameters = member("parameters", of: o) {
                    guard case .object(let p) = parameters else { throw Refusal("outputs[].parameters: expected an object") }
                    if let b = member("binary_data", of: p) {
                        guard case .bool(let b) = b else { throw Refusal("outputs[].parameters.binary_data: expected true or false") }
                        binary = b
                    }
                }
                return (spec, binary)
            }
        }
        var id: JSONValue?
        if let given = member("id", of: request) {
            guard case .string = given else { throw Refusal("id: expected a text") }
            id = given
        }
        return answer(predictions, outputs: wanted, id: id, predictor: predictor)
    }

    /// The datatypes the input takes: the metadata's, and for numbers also FP64 and the integers.
    static func datatypes(of predictor: Predictor) -> [String] {
        input(of: predictor).datatype == "FP32" ? ["FP32", "FP64", "INT32", "INT64"] : ["BYTES"]
    }

    /// The largest magnitude of an INT32 and of an INT64 element (2^53 − 1 for INT64: JSON numbers
    /// are read as Doubles, exact up to there, and 2^53 + 1 would read as 2^53).
    static func integerLimit(_ datatype: String) -> Double { datatype == "INT32" ? Double(Int32.max) : 9_007_199_254_740_991 }

    /// The elements of `data`: flat (`rows × width` values) or nested (`rows` lists of `width`).
    static func elements(of data: JSONValue, rows: Int, width: Int) throws(Refusal) -> [JSONValue] {
        guard case .array(let items) = data else { throw Refusal("inputs[0].data: expected a list") }
        func isList(_ v: JSONValue) -> Bool { if case .array = v { true } else { false } }
        guard items.contains(where: isList) else {
            guard items.count == rows * width else {
                throw Refusal("inputs[0].data: \(rows * width) elements for shape [\(rows), \(width)], got \(items.count)")
            }
            return items
        }
        guard items.count == rows, items.allSatisfy({ item in
            if case .array(let row) = item { row.count == width && !row.contains(where: isList) } else { false }
        }) else {
            throw Refusal("inputs[0].data: \(rows * width) elements for shape [\(rows), \(width)], flat or as \(rows) lists of \(width)")
        }
        return items.flatMap { item -> [JSONValue] in
            guard case .array(let row) = item else { return [] }
            return row
        }
    }

    /// One JSON element as a cell, checked against its datatype.
    static func cell(_ v: JSONValue, datatype: String, at i: Int) throws(Refusal) -> InputSchema.Cell {
        switch (v, datatype) {
        case (.number(let x), "FP32"), (.number(let x), "FP64"): return .number(x)
        case (.number(let x), "INT32"), (.number(let x), "INT64"):
            guard x == x.rounded(), abs(x) <= integerLimit(datatype) else {
                throw Refusal("inputs[0].data[\(i)]: expected a whole number of magnitude at most \(Int64(integerLimit(datatype))) for \(datatype)")
            }
            return .number(x)
        case (.string(let s), "BYTES"): return .text(s)
        default: throw Refusal("inputs[0].data[\(i)]: expected a \(datatype == "BYTES" ? "string" : "number") for \(datatype)")
        }
    }

    /// `count` elements of `datatype` from the binary part.
    static func decode(_ bytes: ArraySlice<UInt8>, datatype: String, count: Int) throws(Refusal) -> [InputSchema.Cell] {
        func word<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
            var value: T = 0
            for k in 0..<MemoryLayout<T>.size { value |= T(bytes[bytes.startIndex + offset + k]) << (8 * k) }
            return value
        }
        let size: Int
        switch datatype {
        case "FP32", "INT32": size = 4
        case "FP64", "INT64": size = 8
        case "BYTES":
            var cells: [InputSchema.Cell] = []
            var offset = 0
            while cells.count < count {
                guard offset + 4 <= bytes.count else { throw Refusal("BYTES input: \(count) elements, the data ends after \(cells.count)") }
                let length = Int(word(UInt32.self, at: offset))
                offset += 4
                guard offset + length <= bytes.count else { throw Refusal("BYTES input: element \(cells.count) runs past the data") }
                let start = bytes.startIndex + offset
                cells.append(.text(String(decoding: bytes[start..<(start + length)], as: UTF8.self)))
                offset += length
            }
            return cells
        default: throw Refusal("inputs[0].datatype: FP32, FP64, INT32, INT64 or BYTES, got \(datatype)")
        }
        guard bytes.count == count * size else { throw Refusal("\(datatype) input: \(count) elements are \(count * size) bytes, got \(bytes.count)") }
        return (0..<count).map { i -> InputSchema.Cell in
            switch datatype {
            case "FP32": .number(Double(Float(bitPattern: word(UInt32.self, at: i * 4))))
            case "INT32": .number(Double(Int32(bitPattern: word(UInt32.self, at: i * 4))))
            case "FP64": .number(Double(bitPattern: word(UInt64.self, at: i * 8)))
            default: .number(Double(Int64(bitPattern: word(UInt64.self, at: i * 8))))
            }
        }
    }

    /// The answer: each output tensor in JSON, or its bytes after the JSON when asked for.
    /// Written straight into one string (the request path's largest cost was building a
    /// `JSONValue` tree and printing it: 9 % of the server's time under load).
    static func answer(_ predictions: [Prediction], outputs: [(TensorSpec, Bool)], id: JSONValue?, predictor: Predictor) -> API.Answer {
        let classes = predictor.card.classNames ?? []
        var json = #"{"model_name":"# + JSONValue.quoted(predictor.name) + #","model_version":"1""#
        json.reserveCapacity(160 + predictions.count * 48 * max(1, outputs.count))
        if let id { json += #","id":"# + id.text }
        json += #","outputs":["#
        var binary: [UInt8] = []
        for (n, (spec, asBinary)) in outputs.enumerated() {
            var numbers: [Float] = [], texts: [String] = []
            for p in predictions {
                switch spec.name {
                case "class": texts.append(p.classIndex.map { classes[$0] } ?? "")
                case "probabilities": numbers += p.probabilities ?? []
                case "score", "value": numbers.append(p.value ?? .nan)
                case "answer": texts += p.answer ?? []
                default: numbers += p.answerProbabilities ?? []
                }
            }
            json += (n > 0 ? "," : "") + #"{"name":"# + JSONValue.quoted(spec.name) + #","datatype":""# + spec.datatype
                + #"","shape":["# + "\(predictions.count),\(spec.shape[1])]"
            if asBinary {
                let start = binary.count
                if spec.datatype == "BYTES" {
                    for text in texts {
                        let utf8 = Array(text.utf8)
                        withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { binary += $0 }
                        binary += utf8
                    }
                } else {
                    for x in numbers { withUnsafeBytes(of: x.bitPattern.littleEndian) { binary += $0 } }
                }
                json += #","parameters":{"binary_data_size":"# + "\(binary.count - start)}}"
            } else {
                json += #","data":["#
                if spec.datatype == "BYTES" {
                    for (k, text) in texts.enumerated() { json += (k > 0 ? "," : "") + JSONValue.quoted(text) }
                } else {
                    for (k, x) in numbers.enumerated() { json += (k > 0 ? "," : "") + API.number(x) }
                }
                json += "]}"
            }
        }
        json += "]}"
        guard !binary.isEmpty else { return API.Answer(status: 200, body: json) }
        return API.Answer(status: 200, body: json, binary: binary,
                          headers: [(binaryHeader, "\(json.utf8.count)"), ("Content-Type", "application/octet-stream")])
    }
}
