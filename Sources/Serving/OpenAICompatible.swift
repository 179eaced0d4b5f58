import Foundation
import TensorCore
import NeuralEngine
import Datasets
import SafeTensorsFormat
import Models

/// An OpenAI-compatible API for the served character-level GPTs (`data words`, `data text`), as
/// llama.cpp, vLLM and Ollama serve one (`../shared/INTERFACES.md`): `GET /v1/models`,
/// `POST /v1/completions` and `POST /v1/chat/completions`, whole or streamed as server-sent
/// events (`data: {…}` per token, then `data: [DONE]`), with OpenAI's error shape. A token is
/// one character: the models' vocabulary.
enum OpenAICompatible {
    /// The longest prompt, the most tokens one request may ask for, choices per request, and
    /// streams at once (more get 429 with `Retry-After`).
    static let maxPromptCharacters = 4_096
    static let maxTokens = 1_024
    static let maxChoices = 8
    static let maxStreams = 32

    /// What a request gets: a whole answer, or a stream of server-sent events.
    enum Reply {
        case whole(API.Answer)
        /// Events written one by one by `produce`, which calls `send` for each (`data: …`).
        case stream(produce: @Sendable (_ send: (String) async throws -> Void) async throws -> Void)
    }

    /// A request refused: status, OpenAI's `type`, the `param` to blame, a `code`.
    struct Refusal: Error {
        var status = 400
        var message: String
        var type = "invalid_request_error"
        var param: String?
        var code: String?

        var answer: API.Answer {
            let error: [(key: String, value: JSONValue)] = [
                ("message", .string(message)), ("type", .string(type)),
                ("param", param.map(JSONValue.string) ?? .null), ("code", code.map(JSONValue.string) ?? .null)]
            var answer = API.Answer(status: status, body: JSONValue.object([("error", .object(error))]).text)
            if status == 429 { answer.headers = [.init(name: "Retry-After", value: "1")] }
            return answer
        }
    }

    /// The served models that write text (a character-level GPT: symbols with no prompt).
    static func writers(_ models: [Predictor]) -> [Predictor] {
        models.filter { if case .symbols(_, 0) = $0.card.preprocessing.schema.form { true } else { false } }
    }

    /// The answer to `/v1/models`, `/v1/completions` or `/v1/chat/completions`; nil for other paths.
    static func reply(method: String, path: String, body: () async throws(API.BodyFailure) -> [UInt8], models: [Predictor],
                      streams: Locked<Int>, completions: CompletionLog, loops: WritingLoops) async -> Reply? {
        switch path {
        case "/v1/models":
            guard method == "GET" else { return .whole(API.notAllowed(method, "GET")) }
            let list = writers(models).map { model -> JSONValue in
                .object([("id", .string(model.name)), ("object", .string("model")), ("created", .number(0)), ("owned_by", .string("descent"))])
            }
            return .whole(API.json(.object([("object", .string("list")), ("data", .array(list))])))
        case "/v1/completions", "/v1/chat/completions":
            guard method == "POST" else { return .whole(API.notAllowed(method, "POST")) }
            let bytes: [UInt8]
            do { bytes = try await body() } catch { return .whole(Refusal(status: error.status, message: error.reason).answer) }
            do {
                return try await complete(bytes, chat: path.hasSuffix("chat/completions"), models: models, streams: streams,
                                          completions: completions, loops: loops)
            } catch {
                return .whole(error.answer)
            }
        default: return nil
        }
    }

    /// A parsed request: the model, the prompt as ids, and how to write.
    struct Job: Sendable {
        var model: Predictor
        var vocabulary: [String]
        var prompt: [Int]
        var maxTokens: Int
        var temperature: Float
        var topK: Int?
        var topP: Float?
        var seed: UInt64
        var stop: [String]
        var choices: Int
        var chat: Bool
        var includeUsage: Bool
        var streamed: Bool
        var id: String
        var log: CompletionLog
        /// The model's writing loop, which writes it.
        var loop: WritingLoop
    }

    /// The router's answer to a completion (`InlineInference` answers most of them itself, with
    /// the same `job`, `admit` and `Chunks`).
    static func complete(_ bytes: [UInt8], chat: Bool, models: [Predictor], streams: Locked<Int>,
                         completions: CompletionLog, loops: WritingLoops) async throws(Refusal) -> Reply {
        let job = try job(bytes, chat: chat, models: models, completions: completions, loops: loops)
        guard job.streamed else {
            var choices: [Choice] = []
            for await event in job.loop.events(job) { if case .end(let ended) = event { choices = ended } }
            return .whole(API.json(whole(job, choices)))
        }
        try admit(streams: streams)
        let started = ContinuousClock.now
        return .stream { send in
            defer { streams.withLock { $0 -= 1 } }
            let chunks = Chunks(job)
            var first = true
            for chunk in chunks.opening { try await send(chunk) }
            for await event in job.loop.events(job) {
                switch event {
                case .text(let i, let text):
                    try await send(chunks.text(i, text))
                    if first { job.loop.firstToken.record(ContinuousClock.now - started) }
                    first = false
                case .end(let choices): for chunk in chunks.closing(choices) { try await send(chunk) }
                }
            }
        }
    }

    /// Counts a stream in, or refuses it (429) when `maxStreams` are in flight; the caller
    /// counts it out when it ends.
    static func admit(streams: Locked<Int>) throws(Refusal) {
        let admitted = streams.withLock { count -> Bool in
            guard count < maxStreams else { return false }
            count += 1
            return true
        }
        guard admitted else {
            throw Refusal(status: 429, message: "at most \(maxStreams) streams at once: try again in a second", type: "rate_limit_exceeded")
        }
    }

    /// The request in `bytes`, checked, as a job for its model's writing loop.
    static func job(_ bytes: [UInt8], chat: Bool, models: [Predictor], completions: CompletionLog,
                    loops: WritingLoops) throws(Refusal) -> Job {
        let json: JSONValue
        do {
            json = try StrictJSON.parse(bytes, finiteNumbersOnly: true)
        } catch {
            throw Refusal(message: "malformed JSON at byte \(error.offset): \(error.reason)")
        }
        guard case .object(let request) = json else { throw Refusal(message: "expected a JSON object") }
        func member(_ key: String) -> JSONValue? { request.first { $0.key == key }?.value }
        func number(_ key: String, in range: ClosedRange<Double>) throws(Refusal) -> Double? {
            guard let value = member(key), value != .null else { return nil }
            guard case .number(let x) = value, range.contains(x) else {
                throw Refusal(message: "\(key): expected a number in \(range.lowerBound)…\(range.upperBound)", param: key)
            }
            return x
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws(Refusal) -> Int? {
            guard let x = try number(key, in: Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
            guard x == x.rounded() else { throw Refusal(message: "\(key): expected a whole number", param: key) }
            return Int(x)
        }
        let writing = writers(models)
        guard case .string(let name)? = member("model") else {
            throw Refusal(message: "model: expected one of \(writing.map(\.name).joined(separator: ", "))", param: "model")
        }
        guard let model = writing.first(where: { $0.name == name }) else {
            throw Refusal(status: 404, message: "The model `\(name)` does not exist: this server writes with "
                          + (writing.isEmpty ? "no model (serve a character-level GPT: data words, model gpt)" : writing.map(\.name).joined(separator: ", ")),
                          param: "model", code: "model_not_found")
        }
        guard case .symbols(let vocabulary, _) = model.card.preprocessing.schema.form else { throw Refusal(message: "model: not a text model") }
        // The prompt: a text, or (chat) the last user message (the last message when no user wrote).
        var text: String
        if chat {
            guard case .array(let messages)? = member("messages"), !messages.isEmpty else {
                throw Refusal(message: "messages: expected a list of {\"role\", \"content\"}", param: "messages")
            }
            var contents: [(role: String, content: String)] = []
            for (i, message) in messages.enumerated() {
                guard case .object(let m) = message, case .string(let role)? = m.first(where: { $0.key == "role" })?.value,
                      roles.contains(role), case .string(let content)? = m.first(where: { $0.key == "content" })?.value else {
                    throw Refusal(message: "messages[\(i)]: expected {\"role\": \(roles.joined(separator: "|")), \"content\": a text}",
                                  param: "messages")
                }
                try check(content, vocabulary: vocabulary, param: "messages", at: "messages[\(i)].content")
                contents.append((role, content))
            }
            text = (contents.last { $0.role == "user" } ?? contents[contents.count - 1]).content
        } else {
            switch member("prompt") {
            case .string(let s)?: text = s
            case .array(let list)? where list.count == 1: if case .string(let s) = list[0] { text = s } else { fallthrough }
            default: throw Refusal(message: "prompt: expected a text", param: "prompt")
            }
            try check(text, vocabulary: vocabulary, param: "prompt", at: "prompt")
        }
        if text.isEmpty { text = vocabulary.contains(".") ? "." : vocabulary[0] }
        let prompt = text.map { vocabulary.firstIndex(of: String($0)) ?? 0 }
        var stop: [String] = []
        switch member("stop") {
        case .string(let s)?: stop = [s]
        case .array(let list)?:
            stop = list.compactMap { if case .string(let s) = $0 { s } else { nil } }
            guard stop.count == list.count, stop.count <= 4 else { throw Refusal(message: "stop: at most 4 texts", param: "stop") }
        case nil, .null?: break
        default: throw Refusal(message: "stop: a text or a list of texts", param: "stop")
        }
        var stream = false
        switch member("stream") {
        case .bool(let b)?: stream = b
        case nil, .null?: break
        default: throw Refusal(message: "stream: expected true or false", param: "stream")
        }
        var includeUsage = false
        switch member("stream_options") {
        case .object(let options)?:
            switch options.first(where: { $0.key == "include_usage" })?.value {
            case .bool(let b)?: includeUsage = b
            case nil, .null?: break
            default: throw Refusal(message: "stream_options.include_usage: expected true or false", param: "stream_options")
            }
        case nil, .null?: break
        default: throw Refusal(message: "stream_options: expected {\"include_usage\": true or false}", param: "stream_options")
        }
        var seed = UInt64.random(in: 0...UInt64.max)
        if let given = try integer("seed", in: Int(Int32.min)...Int(Int32.max)) { seed = UInt64(bitPattern: Int64(given)) }
        var tokens = 16
        if let n = try integer("max_tokens", in: 0...maxTokens) { tokens = n }
        if chat, let n = try integer("max_completion_tokens", in: 0...maxTokens) { tokens = n }
        var temperature = 1.0
        if let t = try number("temperature", in: 0...2) { temperature = t }
        let topK = try integer("top_k", in: 1...vocabulary.count)
        let topP = try number("top_p", in: 0...1)
        var choices = 1
        if let n = try integer("n", in: 1...maxChoices) { choices = n }
        return Job(model: model, vocabulary: vocabulary, prompt: prompt, maxTokens: tokens, temperature: Float(temperature),
                      topK: topK, topP: topP.map { Float($0) }, seed: seed, stop: stop, choices: choices, chat: chat,
                      includeUsage: includeUsage, streamed: stream, id: (chat ? "chatcmpl-" : "cmpl-") + String(seed, radix: 36),
                      log: completions, loop: loops.loop(for: model))
    }

    /// The roles a chat message may have.
    static let roles = ["system", "developer", "user", "assistant"]

    /// Refuses a text longer than `maxPromptCharacters` or with a character outside the model's.
    static func check(_ text: String, vocabulary: [String], param: String, at place: String) throws(Refusal) {
        guard text.unicodeScalars.count <= maxPromptCharacters else {
            throw Refusal(message: "\(place): at most \(maxPromptCharacters) characters, got \(text.unicodeScalars.count)", param: param)
        }
        if let character = text.first(where: { !vocabulary.contains(String($0)) }) {
            throw Refusal(message: "\(place): \"\(character)\" is not among the model's \(vocabulary.count) characters", param: param)
        }
    }

    // MARK: - Writing

    /// What a choice wrote so far, with its stop handling: `text` is final, `pending` may still
    /// turn out to begin a stop text.
    struct Choice: Sendable {
        var text = ""
        var pending = ""
        var finish: String?
        var tokens = 0

        /// Moves what is final out of `pending` into `text` and returns it: up to a stop text
        /// (then the choice is finished, the stop text dropped), or all but the end that may
        /// still begin one.
        mutating func release(stop: [String]) -> String {
            let out: String
            if let hit = stop.compactMap({ pending.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
                out = String(pending[..<hit.lowerBound])
                pending = ""
                finish = "stop"
            } else {
                let keep = stop.map { stop in
                    (1..<max(stop.count, 1)).reversed().first { n in pending.hasSuffix(String(stop.prefix(n))) } ?? 0
                }.max() ?? 0
                out = String(pending.dropLast(keep))
                pending = String(pending.suffix(keep))
            }
            text += out
            return out
        }
    }

    static func usage(_ job: Job, _ choices: [Choice]) -> JSONValue {
        let completion = choices.reduce(0) { $0 + $1.tokens }
        return .object([("prompt_tokens", .number(Double(job.prompt.count))), ("completion_tokens", .number(Double(completion))),
                        ("total_tokens", .number(Double(job.prompt.count + completion)))])
    }

    static func created() -> JSONValue { .number(Double(Int(Date().timeIntervalSince1970))) }

    /// The whole answer, once every choice ended.
    static func whole(_ job: Job, _ choices: [Choice]) -> JSONValue {
        let list = choices.enumerated().map { i, c -> JSONValue in
            job.chat
                ? .object([("index", .number(Double(i))), ("message", .object([("role", .string("assistant")), ("content", .string(c.text))])),
                           ("logprobs", .null), ("finish_reason", .string(c.finish ?? "length"))])
                : .object([("index", .number(Double(i))), ("text", .string(c.text)), ("logprobs", .null),
                           ("finish_reason", .string(c.finish ?? "length"))])
        }
        return .object([("id", .string(job.id)), ("object", .string(job.chat ? "chat.completion" : "text_completion")),
                        ("created", created()), ("model", .string(job.model.name)), ("choices", .array(list)),
                        ("usage", usage(job, choices))])
    }

    /// The streamed answer's events (each one `data: …`): a chunk per token and choice, a last
    /// chunk per choice with its `finish_reason`, the usage when asked for, then `[DONE]`.
    struct Chunks: Sendable {
        let job: Job
        let object: String
        let stamp: JSONValue

        init(_ job: Job) {
            self.job = job
            object = job.chat ? "chat.completion.chunk" : "text_completion"
            stamp = created()
        }

        /// Before the first token: a chat's role, once per choice.
        var opening: [String] { job.chat ? (0..<job.choices).map { chunk([choice($0, "", finish: nil, first: true)]) } : [] }

        func text(_ i: Int, _ text: String) -> String { chunk([choice(i, text, finish: nil)]) }

        func closing(_ choices: [Choice]) -> [String] {
            var out = choices.enumerated().map { i, c in chunk([choice(i, job.chat ? nil : "", finish: c.finish ?? "length")]) }
            if job.includeUsage { out.append(chunk([], usage: usage(job, choices))) }
            return out + ["[DONE]"]
        }

        private func chunk(_ choices: [JSONValue], usage: JSONValue? = nil) -> String {
            var members: [(key: String, value: JSONValue)] = [("id", .string(job.id)), ("object", .string(object)), ("created", stamp),
                                                              ("model", .string(job.model.name)), ("choices", .array(choices))]
            if let usage { members.append(("usage", usage)) }
            return JSONValue.object(members).text
        }

        private func choice(_ i: Int, _ text: String?, finish: String?, first: Bool = false) -> JSONValue {
            let reason = finish.map(JSONValue.string) ?? .null
            if job.chat {
                var delta: [(key: String, value: JSONValue)] = first ? [("role", .string("assistant"))] : []
                if let text { delta.append(("content", .string(text))) }
                return .object([("index", .number(Double(i))), ("delta", .object(delta)), ("logprobs", .null), ("finish_reason", reason)])
            }
            return .object([("index", .number(Double(i))), ("text", .string(text ?? "")), ("logprobs", .null), ("finish_reason", reason)])
        }
    }
}
