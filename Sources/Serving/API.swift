import Foundation
import Hummingbird
import NIOCore
import Datasets
import NeuralEngine
import SafeTensorsFormat
import Models

/// The HTTP API: which method and path answer what, the `/v1/predict` body, and the JSON sent
/// back. Every answer is JSON; an error's is `{"error": "…"}` with the row and column where one
/// is to blame. Nothing here throws past `answer`: a bad request is a 4xx, never a crash.
public enum API {
    public struct Answer: Equatable, Sendable {
        public var status: Int
        /// The JSON (or the JSON header, when `binary` follows it).
        public var body: String
        /// Bytes sent after `body` (the Open Inference Protocol's binary tensors).
        public var binary: [UInt8] = []
        /// Headers besides `Content-Type: application/json` (`Allow` on a 405, the binary
        /// extension's header length; a `Content-Type` here replaces the JSON one).
        public var headers: [Header] = []

        public struct Header: Equatable, Sendable {
            public var name: String
            public var value: String
        }

        public init(status: Int, body: String, binary: [UInt8] = [], headers: [(String, String)] = []) {
            self.status = status
            self.body = body
            self.binary = binary
            self.headers = headers.map { Header(name: $0.0, value: $0.1) }
        }
    }

    /// Why a body could not be read.
    struct BodyFailure: Error {
        var status: Int
        var reason: String
    }

    /// The answer to `request` from `models` (the first answers `/v1`).
    static func answer(request: inout Request, models: [Predictor], maxBody: Int, keyRequired: Bool = false) async -> Answer {
        let method = request.method
        let predictor = models.first
        let bodyRequest = request
        let readBody = { () async throws(BodyFailure) -> [UInt8] in try await collect(bodyRequest, upTo: maxBody) }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        if let v2 = await OpenInference.answer(method: method.rawValue, path: request.uri.path, headers: headers,
                                               body: readBody, models: models) {
            return v2
        }
        switch request.uri.path {
        case "/v1/predict":
            guard method == .post else { return notAllowed(method.rawValue, "POST") }
            let body: [UInt8]
            do { body = try await readBody() } catch { return failure(error.status, error.reason) }
            guard let predictor else { return failure(503, "no model is being served") }
            return predict(body, predictor)
        case "/v1/model":
            guard method == .get else { return notAllowed(method.rawValue, "GET") }
            guard let predictor else { return failure(503, "no model is being served") }
            return Answer(status: 200, body: describe(predictor))
        case "/healthz":
            guard method == .get else { return notAllowed(method.rawValue, "GET") }
            return Answer(status: 200, body: predictor == nil ? #"{"status":"starting"}"# : #"{"status":"ok"}"#)
        case "/openapi.json":
            guard method == .get else { return notAllowed(method.rawValue, "GET") }
            return Answer(status: 200, body: OpenAPI.document(models: models, keyRequired: keyRequired))
        default:
            return failure(404, "no such path: POST /v1/predict, GET /v1/model, GET /healthz, GET /openapi.json and the "
                           + "Open Inference Protocol's /v2 paths exist")
        }
    }

    static func json(_ value: JSONValue) -> Answer { Answer(status: 200, body: value.text) }

    /// A request's body, at most `maxBody` bytes (413 past that).
    static func collect(_ request: Request, upTo maxBody: Int) async throws(BodyFailure) -> [UInt8] {
        do {
            return Array(try await request.body.collect(upTo: maxBody).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw BodyFailure(status: 413, reason: "the body is over \(maxBody) bytes")
        } catch {
            throw BodyFailure(status: 400, reason: "the body could not be read")
        }
    }

    static func failure(_ status: Int, _ reason: String, row: Int? = nil, column: String? = nil) -> Answer {
        var members: [(key: String, value: JSONValue)] = [("error", .string(reason))]
        if let row { members.append(("row", .number(Double(row)))) }
        if let column { members.append(("column", .string(column))) }
        return Answer(status: status, body: JSONValue.object(members).text)
    }

    /// 405, with the `Allow` header RFC 9110 (section 15.5.6) requires.
    static func notAllowed(_ method: String, _ allowed: String) -> Answer {
        var answer = failure(405, "\(method) is not allowed here: use \(allowed)")
        answer.headers = [Answer.Header(name: "Allow", value: allowed)]
        return answer
    }

    // MARK: - /v1/predict

    /// Why a `/v1/predict` body was refused, and the status that says so.
    struct BodyError: Error, Equatable {
        var status: Int
        var reason: String
        var row: Int?
        var column: String?
    }

    /// The rows of a `/v1/predict` body, `{"inputs": [[5.1, 3.5, 1.4, 0.2], …]}`: each row a
    /// list of cells, or for a text model one string. JSON's types are kept: a number column
    /// takes a JSON number, a category or symbol its value's name (or the number that spells it);
    /// the schema then checks the values. `OpenAPI` describes exactly these rules.
    static func rows(of body: [UInt8], form: InputSchema.Form) throws(BodyError) -> [[InputSchema.Cell]] {
        let json: JSONValue
        do {
            json = try StrictJSON.parse(body, finiteNumbersOnly: false)
        } catch {
            throw BodyError(status: 400, reason: "malformed JSON at byte \(error.offset): \(error.reason)")
        }
        guard case .object(let members) = json, let inputs = members.first(where: { $0.key == "inputs" })?.value else {
            throw BodyError(status: 400, reason: #"expected a JSON object {"inputs": [[…], …]}"#)
        }
        guard case .array(let list) = inputs else {
            throw BodyError(status: 422, reason: "inputs: expected a list of rows")
        }
        guard !list.isEmpty else { throw BodyError(status: 422, reason: "inputs: expected at least one row") }
        guard list.count <= Predictor.maxRows else {
            throw BodyError(status: 422, reason: "inputs: at most \(Predictor.maxRows) rows in one request, got \(list.count)")
        }
        var rows: [[InputSchema.Cell]] = []
        rows.reserveCapacity(list.count)
        for (i, row) in list.enumerated() {
            switch (row, form) {
            case (.array(let cells), _):
                var out: [InputSchema.Cell] = []
                out.reserveCapacity(cells.count)
                for (j, cell) in cells.enumerated() {
                    switch cell {
                    case .number(let x): out.append(.number(x))
                    case .string(let s):
                        if case .columns(let columns) = form, j < columns.count, case .number = columns[j] {
                            throw BodyError(status: 422, reason: "expected a number, got \(JSONValue.quoted(String(s.prefix(40))))", row: i,
                                            column: columns[j].name)
                        }
                        out.append(.text(s))
                    default:
                        throw BodyError(status: 422, reason: "expected a number or a text, got \(cell.text.prefix(40))",
                                        row: i, column: "\(j)")
                    }
                }
                rows.append(out)
            case (.string(let s), .text): rows.append([.text(s)])
            default:
                throw BodyError(status: 422, reason: "expected a row: a list of values (\(InputSchema(form).usage))"
                                + (isText(form) ? ", or a text" : ""), row: i)
            }
        }
        return rows
    }

    static func isText(_ form: InputSchema.Form) -> Bool { if case .text = form { true } else { false } }

    /// A `/v1/predict` body answered as the server answers it (public for the fuzzing harness).
    public static func predict(_ body: [UInt8], _ predictor: Predictor) -> Answer {
        let predictions: [Prediction]
        do {
            predictions = try predictor.predict(try rows(of: body, form: predictor.card.preprocessing.schema.form))
        } catch let error as BodyError {
            return failure(error.status, error.reason, row: error.row, column: error.column)
        } catch let error as InputError {
            let usage = error.column == nil ? "" : " (a row is: \(predictor.card.preprocessing.schema.usage))"
            return failure(422, error.reason + usage, row: error.row, column: error.column)
        } catch {
            return failure(500, "\(error)")
        }
        return Answer(status: 200, body: encode(predictions, classes: predictor.card.classNames))
    }

    /// `{"predictions":[{"class":"virginica","probabilities":{"setosa":0.002,…}}]}`, or
    /// `{"predictions":[{"value":3.2}]}` for regression.
    static func encode(_ predictions: [Prediction], classes: [String]?) -> String {
        var out = #"{"predictions":["#
        out.reserveCapacity(64 + predictions.count * 40 * max(1, classes?.count ?? 1))
        for (n, p) in predictions.enumerated() {
            if n > 0 { out += "," }
            out += "{"
            if let answer = p.answer, let probabilities = p.answerProbabilities {
                out += #""answer":["# + answer.map(JSONValue.quoted).joined(separator: ",") + "]"
                out += #","probabilities":["# + probabilities.map(number).joined(separator: ",") + "]"
            } else if let classes, let k = p.classIndex {
                out += #""class":"# + JSONValue.quoted(classes[k])
                if let probabilities = p.probabilities {
                    out += #","probabilities":{"#
                    for (c, (name, q)) in zip(classes, probabilities).enumerated() {
                        out += (c > 0 ? "," : "") + JSONValue.quoted(name) + ":" + number(q)
                    }
                    out += "}"
                }
                if let score = p.value { out += #","score":"# + number(score) }
            } else {
                out += #""value":"# + number(p.value ?? .nan)
            }
            out += "}"
        }
        return out + "]}"
    }

    /// A Float as JSON: its shortest exact form, null when not finite.
    static func number(_ x: Float) -> String { x.isFinite ? "\(x)" : "null" }

    // MARK: - /v1/model

    static func describe(_ predictor: Predictor) -> String {
        let card = predictor.card
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let architecture = (try? encoder.encode(card.architecture)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        let input: JSONValue
        switch card.preprocessing.schema.form {
        case .columns(let columns):
            input = .object([("type", .string("row")), ("columns", .array(columns.map { column in
                switch column {
                case .number(let name): .object([("name", .string(name)), ("type", .string("number"))])
                case let .category(name, values):
                    .object([("name", .string(name)), ("type", .string("category")), ("values", .array(values.map(JSONValue.string)))])
                }
            }))])
        case .values(let count): input = .object([("type", .string("values")), ("count", .number(Double(count)))])
        case .text(_, let length): input = .object([("type", .string("text")), ("tokens", .number(Double(length)))])
        case let .symbols(vocabulary, prompt):
            input = .object([("type", .string("symbols")), ("count", .number(Double(prompt))),
                             ("vocabulary", .array(vocabulary.map(JSONValue.string)))])
        }
        var output: JSONValue = card.classNames.map { .object([("type", .string("classes")), ("classes", .array($0.map(JSONValue.string)))]) }
            ?? .object([("type", .string("value"))])
        if case .symbols = card.preprocessing.schema.form { output = .object([("type", .string("answer"))]) }
        var metrics: [(key: String, value: JSONValue)] = [("epochs", .number(Double(card.metrics.epochs))),
                                                          ("updates", .number(Double(card.metrics.updates)))]
        // A Float through its shortest decimal form, so 0.9667 does not read 0.9666666388511658.
        func value(_ x: Float) -> JSONValue { .number(Double("\(x)") ?? 0) }
        if let x = card.metrics.trainLoss, x.isFinite { metrics.append(("train_loss", value(x))) }
        if let x = card.metrics.validationLoss, x.isFinite { metrics.append(("val_loss", value(x))) }
        if let x = card.metrics.validationMetric, x.isFinite { metrics.append(("val_\(card.metrics.metricName)", value(x))) }
        let fields: [(key: String, value: JSONValue)] = [
            ("model", .string(card.setup.model?.description ?? "")),
            ("data", .string(card.setup.data?.description ?? "")),
            ("loss", .string(card.loss.rawValue)),
            ("parameters", .number(Double(card.parameterCount))),
            ("input", input), ("output", output), ("metrics", .object(metrics)),
        ]
        let head = JSONValue.object(fields).text
        return String(head.dropLast()) + #","architecture":"# + architecture + "}"
    }
}
