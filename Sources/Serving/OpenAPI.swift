import Datasets
import SafeTensorsFormat
import Models

/// The API described in OpenAPI 3.1 (served at `GET /openapi.json`), generated from the models
/// being served: each path a model answers, with its input's exact width and cell types (numbers
/// within a Float's range, categories and symbols as enums, text as strings), every response and
/// status. It states the rules the readers enforce (`API.rows`, `OpenInference`,
/// `OpenAICompatible`), so a request the document allows is answered and one it forbids is
/// refused: schemathesis checks both in `make test`. Methods a path does not answer get 405 with
/// `Allow`, which OpenAPI leaves unwritten.
enum OpenAPI {
    static func document(models: [Predictor], keyRequired: Bool) -> String {
        var paths: [(key: String, value: JSONValue)] = []
        let writers = OpenAICompatible.writers(models)
        if let first = models.first {
            paths.append(("/v1/predict", ["post": operation(
                "Predict for one or more rows (\(first.name): \(first.card.preprocessing.schema.usage))",
                body: ["type": "object", "required": ["inputs"], "properties": [
                    "inputs": ["type": "array", "minItems": 1, "maxItems": .number(Double(Predictor.maxRows)), "items": row(first)]]],
                example: ["inputs": [isText(first) ? example(first)[0] : .array(example(first))]],
                ok: ("One prediction per row", json(["type": "object", "required": ["predictions"], "properties": [
                    "predictions": ["type": "array", "items": prediction(first)]]])),
                errors: [400, 413, 422], keyRequired: keyRequired)]))
            paths.append(("/v1/model", ["get": operation("The model: architecture, parameter count, input schema, training metrics",
                                                           ok: ("The model", json(modelCard)), keyRequired: keyRequired)]))
        }
        paths.append(("/healthz", ["get": operation("Whether the server answers", ok: ("It does", json(
            ["type": "object", "required": ["status"], "properties": ["status": ["enum": ["ok", "starting"]]]])), keyRequired: keyRequired)]))
        paths.append(("/openapi.json", ["get": operation("This document", ok: ("OpenAPI 3.1", json(["type": "object"])), keyRequired: keyRequired)]))
        paths.append(("/metrics", ["get": operation("Counters, latencies and the session's training gauges in Prometheus' text format",
                                                      ok: ("Prometheus text format 0.0.4", ["text/plain": ["schema": ["type": "string"]]]),
                                                      keyRequired: keyRequired)]))
        paths += openInference(models, keyRequired: keyRequired)
        if !writers.isEmpty { paths += openAI(writers, keyRequired: keyRequired) }

        var components: [(key: String, value: JSONValue)] = [("schemas", [
            "Error": ["type": "object", "required": ["error"],
                      "properties": ["error": ["type": "string"], "row": ["type": "integer"], "column": ["type": "string"]]],
            "OpenAIError": ["type": "object", "required": ["error"], "properties": ["error": [
                "type": "object", "required": ["message", "type", "param", "code"],
                "properties": ["message": ["type": "string"], "type": ["type": "string"],
                               "param": ["type": ["string", "null"]], "code": ["type": ["string", "null"]]]]]],
        ])]
        if keyRequired { components.append(("securitySchemes", ["key": ["type": "http", "scheme": "bearer"]])) }
        var top: [(key: String, value: JSONValue)] = [
            ("openapi", "3.1.0"),
            ("info", ["title": "Descent model server", "version": .string(OpenInference.descentVersion),
                      "description": .string("Serving \(models.map(\.name).joined(separator: ", ")). Rows are given in the units of the "
                          + "original data: numbers as in the data file, categorical columns by value name, a text model's rows as strings.")]),
            ("paths", .object(paths)), ("components", .object(components))]
        if keyRequired { top.append(("security", [["key": []]])) }
        return JSONValue.object(top).text
    }

    // MARK: - Pieces

    static func json(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }

    static let error: JSONValue = ["description": "What was wrong, and where", "content": json(["$ref": "#/components/schemas/Error"])]
    static let openAIError: JSONValue = ["description": "OpenAI's error shape", "content": json(["$ref": "#/components/schemas/OpenAIError"])]

    /// An operation: its answer when all is well, the statuses it refuses with, 401 when a key is needed.
    static func operation(_ summary: String, body: JSONValue? = nil, example: JSONValue? = nil, ok: (String, JSONValue),
                          errors: [Int] = [], errorShape: JSONValue = error, keyRequired: Bool) -> JSONValue {
        var responses: [(key: String, value: JSONValue)] = [("200", ["description": .string(ok.0), "content": ok.1])]
        for status in errors + (keyRequired ? [401] : []) { responses.append(("\(status)", errorShape)) }
        var members: [(key: String, value: JSONValue)] = [("summary", .string(summary))]
        if let body {
            var media: [(key: String, value: JSONValue)] = [("schema", body)]
            if let example { media.append(("example", example)) }
            members.append(("requestBody", ["required": true, "content": ["application/json": .object(media)]]))
        }
        members.append(("responses", .object(responses)))
        return .object(members)
    }

    static func nullable(_ type: String) -> JSONValue { [.string(type), "null"] }
    static func integer(_ range: ClosedRange<Int>, nullable: Bool = false) -> JSONValue {
        ["type": nullable ? Self.nullable("integer") : "integer", "minimum": .number(Double(range.lowerBound)),
         "maximum": .number(Double(range.upperBound))]
    }

    /// A number a feature can hold: within a Float's range (`InputSchema.largestMagnitude`).
    static let number: JSONValue = ["type": "number", "minimum": .number(-InputSchema.largestMagnitude),
                                    "maximum": .number(InputSchema.largestMagnitude)]

    /// A value named by its text, or by the JSON number that spells it (`7` for "7").
    static func choice(_ values: [String], numbers: Bool = true) -> JSONValue {
        var allowed: [JSONValue] = values.map(JSONValue.string)
        if numbers {
            for value in values {
                if let x = Double(value), x.isFinite, InputSchema.Cell.number(x).word == value { allowed.append(.number(x)) }
            }
        }
        return ["enum": .array(allowed)]
    }

    /// A `/v1/predict` row of `model`.
    static func row(_ model: Predictor) -> JSONValue {
        switch model.card.preprocessing.schema.form {
        case .columns(let columns):
            let cells: [JSONValue] = columns.map { column in
                switch column {
                case .number: number
                case .category(_, let values): choice(values)
                }
            }
            return ["type": "array", "prefixItems": .array(cells), "items": false, "minItems": .number(Double(cells.count)),
                    "description": .string(model.card.preprocessing.schema.usage)]
        case .values(let count):
            return ["type": "array", "items": number, "minItems": .number(Double(count)), "maxItems": .number(Double(count))]
        case .text:
            return ["oneOf": [["type": "string"], ["type": "array", "items": ["type": ["string", "number"]], "minItems": 1]],
                    "description": "one text, or its words"]
        case let .symbols(vocabulary, prompt):
            return ["type": "array", "items": choice(vocabulary), "minItems": .number(Double(prompt)), "maxItems": .number(Double(prompt))]
        }
    }

    static func isText(_ model: Predictor) -> Bool { API.isText(model.card.preprocessing.schema.form) }

    /// A row to show in the examples: the training split's average (each number column's mean,
    /// each category's most frequent value), a few words of a text model's vocabulary, a sequence
    /// model's first symbols. `asText` writes numbers as texts, as a BYTES tensor holds them.
    static func example(_ model: Predictor, asText: Bool = false) -> [JSONValue] {
        let preprocessing = model.card.preprocessing
        func mean(_ k: Int) -> JSONValue {
            let x = k < preprocessing.means.count ? (Double(preprocessing.means[k]) * 1000).rounded() / 1000 : 0
            guard asText else { return .number(x) }
            let text = "\(x)"
            return .string(NumberText.value(of: text) == nil ? "0" : text)
        }
        switch preprocessing.schema.form {
        case .columns(let columns):
            var k = 0
            return columns.map { column in
                defer { k += column.featureCount }
                switch column {
                case .number: return mean(k)
                case .category(_, let values):
                    let frequencies = (0..<values.count).map { k + $0 < preprocessing.means.count ? preprocessing.means[k + $0] : 0 }
                    return .string(values[frequencies.indices.max { frequencies[$0] < frequencies[$1] } ?? 0])
                }
            }
        case .values(let count): return (0..<count).map(mean)
        case .text(let vocabulary, _): return [.string(vocabulary.dropFirst(2).filter { $0.count > 3 }.prefix(4).joined(separator: " "))]
        case let .symbols(vocabulary, prompt): return (0..<prompt).map { .string(vocabulary[$0 % vocabulary.count]) }
        }
    }

    static let probability: JSONValue = ["type": ["number", "null"]]

    /// One prediction of `model` in `/v1/predict`'s answer.
    static func prediction(_ model: Predictor) -> JSONValue {
        let card = model.card
        if case .symbols(let vocabulary, _) = card.preprocessing.schema.form {
            return ["type": "object", "required": ["answer", "probabilities"], "properties": [
                "answer": ["type": "array", "items": choice(vocabulary, numbers: false)],
                "probabilities": ["type": "array", "items": probability]]]
        }
        guard let classes = card.classNames else {
            return ["type": "object", "required": ["value"], "properties": ["value": probability], "additionalProperties": false]
        }
        if card.loss == .hinge {
            return ["type": "object", "required": ["class", "score"],
                    "properties": ["class": choice(classes, numbers: false), "score": probability], "additionalProperties": false]
        }
        let each: JSONValue = .object(classes.map { (key: $0, value: probability) })
        return ["type": "object", "required": ["class", "probabilities"], "additionalProperties": false, "properties": [
            "class": choice(classes, numbers: false),
            "probabilities": ["type": "object", "properties": each, "required": .array(classes.map(JSONValue.string)),
                              "additionalProperties": false]]]
    }

    static let modelCard: JSONValue = ["type": "object", "required": ["model", "data", "loss", "parameters", "input", "output", "metrics",
                                                                      "architecture"],
                                       "properties": ["model": ["type": "string"], "data": ["type": "string"], "loss": ["type": "string"],
                                                      "parameters": ["type": "integer"], "input": ["type": "object"],
                                                      "output": ["type": "object"], "metrics": ["type": "object"]]]

    // MARK: - Open Inference Protocol

    /// How many rows the document spells out in a v2 request; the server takes up to
    /// `Predictor.maxRows`, which JSON Schema cannot tie to the data's length.
    static let documentedRows = 4

    static func tensorSpec(_ spec: OpenInference.TensorSpec) -> JSONValue {
        ["type": "object", "required": ["name", "datatype", "shape"], "properties": [
            "name": ["const": .string(spec.name)], "datatype": ["const": .string(spec.datatype)],
            "shape": ["const": .array(spec.shape.map { .number(Double($0)) })]]]
    }

    static func openInference(_ models: [Predictor], keyRequired: Bool) -> [(key: String, value: JSONValue)] {
        let empty: JSONValue = ["type": "object"]
        var paths: [(key: String, value: JSONValue)] = [
            ("/v2", ["get": operation("The server: name, version, extensions", ok: ("The server", json(
                ["type": "object", "required": ["name", "version", "extensions"],
                 "properties": ["name": ["type": "string"], "version": ["type": "string"],
                                "extensions": ["type": "array", "items": ["type": "string"]]]])), keyRequired: keyRequired)]),
            ("/v2/health/live", ["get": operation("Whether the server is live", ok: ("It is", json(empty)), keyRequired: keyRequired)]),
            ("/v2/health/ready", ["get": operation("Whether a model is served", ok: ("One is", json(empty)), errors: [503],
                                                   keyRequired: keyRequired)]),
        ]
        let writers = Set(OpenAICompatible.writers(models).map(\.name))
        for model in models where !writers.contains(model.name) {
            let input = OpenInference.input(of: model), outputs = OpenInference.outputs(of: model)
            let base = "/v2/models/" + model.name
            paths.append((base, ["get": operation("\(model.name)'s tensors", ok: ("Its metadata", json(
                ["type": "object", "required": ["name", "versions", "platform", "inputs", "outputs"],
                 "properties": ["name": ["const": .string(model.name)], "versions": ["type": "array", "items": ["type": "string"]],
                                "platform": ["type": "string"], "inputs": ["type": "array", "items": tensorSpec(input)],
                                "outputs": ["type": "array", "items": ["oneOf": .array(outputs.map(tensorSpec))]]]])),
                keyRequired: keyRequired)]))
            paths.append((base + "/ready", ["get": operation("Whether \(model.name) is ready", ok: ("It is", json(
                ["type": "object", "required": ["name", "ready"], "properties": ["name": ["const": .string(model.name)],
                                                                                  "ready": ["type": "boolean"]]])),
                keyRequired: keyRequired)]))
            let names: JSONValue = .array(outputs.map { .string($0.name) })
            let request: JSONValue = ["type": "object", "required": ["inputs"], "properties": [
                "id": ["type": "string"],
                "parameters": ["type": "object", "properties": ["binary_data_output": ["type": "boolean"]]],
                "inputs": ["type": "array", "minItems": 1, "maxItems": 1, "items": tensor(model)],
                "outputs": ["type": "array", "items": ["type": "object", "required": ["name"], "properties": [
                    "name": ["enum": names], "parameters": ["type": "object", "properties": ["binary_data": ["type": "boolean"]]]]]]]]
            let answer: JSONValue = ["type": "object", "required": ["model_name", "model_version", "outputs"], "properties": [
                "model_name": ["const": .string(model.name)], "model_version": ["type": "string"], "id": ["type": "string"],
                "outputs": ["type": "array", "items": ["type": "object", "required": ["name", "datatype", "shape"], "properties": [
                    "name": ["enum": names], "datatype": ["enum": ["FP32", "BYTES"]],
                    "shape": ["type": "array", "items": ["type": "integer"]],
                    "data": ["type": "array", "items": ["type": ["number", "string", "null"]]],
                    "parameters": ["type": "object", "properties": ["binary_data_size": ["type": "integer"]]]]]]]]
            paths.append((base + "/infer", ["post": operation(
                "Infer with \(model.name): \(model.card.preprocessing.schema.usage) per row (the document spells out 1 to "
                    + "\(documentedRows) rows; up to \(Predictor.maxRows) are taken)",
                body: request,
                example: ["inputs": [["name": .string(input.name), "datatype": .string(input.datatype),
                                      "shape": [1, .number(Double(input.shape[1]))], "data": .array(example(model, asText: input.datatype == "BYTES"))]]],
                ok: ("The output tensors (their bytes after the JSON when binary_data_output was asked for)",
                     ["application/json": ["schema": answer],
                      "application/octet-stream": ["schema": ["type": "string", "contentMediaType": "application/octet-stream"]]]),
                errors: [400, 413], keyRequired: keyRequired)]))
        }
        return paths
    }

    /// The one input tensor of `model` in a v2 request: for each datatype it takes and each row
    /// count up to `documentedRows`, the shape and the data flat or nested, element by element.
    static func tensor(_ model: Predictor) -> JSONValue {
        let input = OpenInference.input(of: model)
        let width = input.shape[1]
        // Each datatype the input takes, with the element at each column.
        var kinds: [(datatypes: [String], cells: [JSONValue])] = []
        if input.datatype == "FP32" {
            kinds.append((["FP32", "FP64"], Array(repeating: number, count: width)))
            for datatype in ["INT32", "INT64"] {
                let limit = OpenInference.integerLimit(datatype)
                kinds.append(([datatype], Array(repeating: ["type": "integer", "minimum": .number(-limit), "maximum": .number(limit)],
                                                 count: width)))
            }
        } else {
            let cells: [JSONValue]
            switch model.card.preprocessing.schema.form {
            case .columns(let columns):
                cells = columns.map { column in
                    switch column {
                    case .number: ["type": "string", "pattern": .string(NumberText.pattern)]
                    case .category(_, let values): choice(values, numbers: false)
                    }
                }
            case .symbols(let vocabulary, _): cells = Array(repeating: choice(vocabulary, numbers: false), count: width)
            case .text, .values: cells = Array(repeating: ["type": "string"], count: width)
            }
            kinds.append((["BYTES"], cells))
        }
        var branches: [JSONValue] = []
        for kind in kinds {
            for rows in 1...documentedRows {
                let flat = Array((0..<rows).map { _ in kind.cells }.joined())
                let nestedRow: JSONValue = ["type": "array", "prefixItems": .array(kind.cells), "items": false,
                                            "minItems": .number(Double(width))]
                let layouts: [JSONValue] = [
                    ["type": "array", "prefixItems": .array(flat), "items": false, "minItems": .number(Double(flat.count))],
                    ["type": "array", "items": nestedRow, "minItems": .number(Double(rows)), "maxItems": .number(Double(rows))]]
                for data in layouts {
                    branches.append(["type": "object", "required": ["name", "datatype", "shape", "data"], "properties": [
                        "name": ["const": .string(input.name)],
                        "datatype": kind.datatypes.count == 1 ? ["const": .string(kind.datatypes[0])]
                                                              : ["enum": .array(kind.datatypes.map(JSONValue.string))],
                        "shape": ["const": [.number(Double(rows)), .number(Double(width))]],
                        "data": data]])
                }
            }
        }
        return ["oneOf": .array(branches)]
    }

    // MARK: - OpenAI

    static func openAI(_ writers: [Predictor], keyRequired: Bool) -> [(key: String, value: JSONValue)] {
        let list: JSONValue = ["type": "object", "required": ["object", "data"], "properties": [
            "object": ["const": "list"],
            "data": ["type": "array", "items": ["type": "object", "required": ["id", "object", "created", "owned_by"], "properties": [
                "id": ["enum": .array(writers.map { .string($0.name) })], "object": ["const": "model"],
                "created": ["type": "integer"], "owned_by": ["type": "string"]]]]]]
        let usage: JSONValue = ["type": "object", "required": ["prompt_tokens", "completion_tokens", "total_tokens"], "properties": [
            "prompt_tokens": ["type": "integer"], "completion_tokens": ["type": "integer"], "total_tokens": ["type": "integer"]]]
        let finish: JSONValue = ["enum": ["stop", "length"]]
        func answer(chat: Bool) -> JSONValue {
            let choice: JSONValue = chat
                ? ["type": "object", "required": ["index", "message", "finish_reason"], "properties": [
                    "index": ["type": "integer"], "finish_reason": finish,
                    "message": ["type": "object", "required": ["role", "content"],
                                "properties": ["role": ["const": "assistant"], "content": ["type": "string"]]]]]
                : ["type": "object", "required": ["index", "text", "finish_reason"], "properties": [
                    "index": ["type": "integer"], "text": ["type": "string"], "finish_reason": finish]]
            return ["type": "object", "required": ["id", "object", "created", "model", "choices", "usage"], "properties": [
                "id": ["type": "string"], "object": ["const": .string(chat ? "chat.completion" : "text_completion")],
                "created": ["type": "integer"], "model": ["type": "string"],
                "choices": ["type": "array", "items": choice], "usage": usage]]
        }
        func request(chat: Bool) -> JSONValue {
            let branches: [JSONValue] = writers.map { model in
                guard case .symbols(let vocabulary, _) = model.card.preprocessing.schema.form else { return ["type": "object"] }
                let text: JSONValue = ["type": "string", "maxLength": .number(Double(OpenAICompatible.maxPromptCharacters)),
                                       "pattern": .string(pattern(vocabulary))]
                var properties: [(key: String, value: JSONValue)] = [("model", ["const": .string(model.name)])]
                if chat {
                    properties.append(("messages", ["type": "array", "minItems": 1, "items": [
                        "type": "object", "required": ["role", "content"],
                        "properties": ["role": ["enum": .array(OpenAICompatible.roles.map(JSONValue.string))], "content": text]]]))
                    properties.append(("max_completion_tokens", integer(0...OpenAICompatible.maxTokens, nullable: true)))
                } else {
                    properties.append(("prompt", ["oneOf": [text, ["type": "array", "items": text, "minItems": 1, "maxItems": 1]]]))
                }
                properties += [
                    ("max_tokens", integer(0...OpenAICompatible.maxTokens, nullable: true)),
                    ("temperature", ["type": nullable("number"), "minimum": 0, "maximum": 2]),
                    ("top_p", ["type": nullable("number"), "minimum": 0, "maximum": 1]),
                    ("top_k", integer(1...vocabulary.count, nullable: true)),
                    ("seed", integer(Int(Int32.min)...Int(Int32.max), nullable: true)),
                    ("n", integer(1...OpenAICompatible.maxChoices, nullable: true)),
                    ("stop", ["oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"], "maxItems": 4], ["type": "null"]]]),
                    ("stream", ["type": nullable("boolean")]),
                    ("stream_options", ["type": nullable("object"), "properties": ["include_usage": ["type": nullable("boolean")]]]),
                ]
                return ["type": "object", "required": ["model", chat ? "messages" : "prompt"], "properties": .object(properties)]
            }
            return branches.count == 1 ? branches[0] : ["oneOf": .array(branches)]
        }
        // One server-sent event as schemathesis reads it: its `data` (a chunk's JSON, or [DONE]).
        let event: JSONValue = ["type": "object", "required": ["data"],
                                "properties": ["data": ["type": "string"], "event": ["type": "string"]]]
        func write(chat: Bool) -> JSONValue {
            let model = writers[0]
            var prompt: JSONValue = ""
            if case .symbols(let vocabulary, _) = model.card.preprocessing.schema.form { prompt = .string(vocabulary.first { $0 != "." } ?? "") }
            return operation(chat ? "Chat: the last user message continued, one character a token" : "Continue a text, one character a token",
                      body: request(chat: chat),
                      example: chat ? ["model": .string(model.name), "messages": [["role": "user", "content": prompt]], "max_tokens": 16]
                                    : ["model": .string(model.name), "prompt": prompt, "max_tokens": 16],
                      ok: ("The whole answer, or with stream: true server-sent events (data: {…} per token, then data: [DONE])",
                           ["application/json": ["schema": answer(chat: chat)], "text/event-stream": ["schema": event]]),
                      errors: [400, 404, 413, 429], errorShape: openAIError, keyRequired: keyRequired)
        }
        return [("/v1/models", ["get": operation("The models that write text", ok: ("The list", json(list)), keyRequired: keyRequired)]),
                ("/v1/completions", ["post": write(chat: false)]),
                ("/v1/chat/completions", ["post": write(chat: true)])]
    }

    /// A regular expression for texts made of `vocabulary`'s characters only.
    static func pattern(_ vocabulary: [String]) -> String {
        let special: Set<Character> = ["\\", "]", "[", "^", "-"]
        let members = vocabulary.map { symbol in symbol.map { special.contains($0) ? "\\\($0)" : String($0) }.joined() }.joined()
        return "^[" + members + "]*$"
    }
}
