import Testing
import Foundation
import TestSupport
import TensorCore
@testable import WorkbenchCore
@testable import Serving
import Models

extension ModelServerTests {
/// The OpenAI-compatible API (issue 25) over real HTTP: a served character-level GPT writes,
/// whole and as server-sent events, exactly what the model writes in-process with that seed.
@Suite struct OpenAICompatibleTests {
    @Test func completionsWholeAndStreamedAreTheModelsOwnText() throws {
        let (session, _, address, _) = try ModelServerTests.serving("seed 2\ndata words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1 name=words")
        defer { session.shutDown() }
        let client = HTTPClient(address: address)
        let models = try #require(try client.get("/v1/models").json as? [String: Any])
        #expect((models["data"] as? [[String: Any]])?.map { $0["id"] as? String } == ["words"])
        // The model's own draws: 20 characters after "th" with this seed and temperature.
        let predictor = try Predictor(try session.modelFile())
        guard case .symbols(let vocabulary, _) = predictor.card.preprocessing.schema.form else { Issue.record("not a text model"); return }
        var rng = SeededGenerator(seed: 7)
        let ids = ["t", "h"].map { vocabulary.firstIndex(of: $0)! }
        let expected = predictor.write(after: [ids], count: 20, temperature: 0.8, topK: nil, rng: &rng)[0].ids.map { vocabulary[$0] }.joined()

        let request = #"{"model": "words", "prompt": "th", "max_tokens": 20, "temperature": 0.8, "seed": 7"#
        let whole = try client.post("/v1/completions", request + "}")
        #expect(whole.status == 200, "\(whole.body)")
        let answer = try #require(whole.json as? [String: Any])
        let choice = try #require((answer["choices"] as? [[String: Any]])?.first)
        #expect(choice["text"] as? String == expected && choice["finish_reason"] as? String == "length")
        #expect((answer["usage"] as? [String: Int])?["completion_tokens"] == 20)

        let stream = try client.post("/v1/completions", request + #", "stream": true}"#)
        #expect(stream.status == 200 && stream.head.contains("content-type: text/event-stream"), "\(stream.head)")
        let events = stream.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.allSatisfy { $0.hasPrefix("data: ") } && events.last == "data: [DONE]", "\(events.suffix(2))")
        let texts = events.dropLast().compactMap { event -> String? in
            let json = try? JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8)) as? [String: Any]
            return (json?["choices"] as? [[String: Any]])?.first?["text"] as? String
        }
        #expect(texts.joined() == expected && texts.count == 21, "one event per character, then the finish")
        // The server kept both for `show serve` and the attention view, token by token.
        let service = try #require(session.display.models.server?.service)
        let kept = service.recentCompletions(limit: 4)
        #expect(kept.map(\.text) == [expected, expected] && kept.map(\.streamed) == [false, true] && kept.allSatisfy(\.finished))
        #expect(kept[1].prompt == "th" && kept[1].ids == ids + expected.map { vocabulary.firstIndex(of: String($0))! })
    }

    /// Streams and whole completions at once are written together (one forward pass per step
    /// for all their rows, `WritingLoop`), and each gets the text it gets alone: its own draws,
    /// its stop text, its choices. (Beside others its rows are multiplied in larger matrices; a
    /// BLAS kernel may change a probability's last bits, which could flip a draw only when it
    /// falls within them of a boundary.)
    @Test func requestsAtOnceAreWrittenTogetherEachAsAlone() throws {
        let (session, _, address, _) = try ModelServerTests.serving("seed 2\ndata words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1 name=words")
        defer { session.shutDown() }
        let requests = [#""prompt": "th", "max_tokens": 40, "seed": 1"#, #""prompt": "a", "max_tokens": 25, "seed": 2, "n": 2"#,
                        #""prompt": "there", "max_tokens": 30, "seed": 3, "stop": "e""#, #""prompt": "s", "max_tokens": 1, "seed": 4"#,
                        #""prompt": "wh", "max_tokens": 18, "seed": 5, "temperature": 0"#, #""prompt": "o", "max_tokens": 33, "seed": 6"#]
        @Sendable func texts(_ request: String, streamed: Bool) throws -> [String] {
            let reply = try HTTPClient(address: address).post("/v1/completions", #"{"model": "words", "# + request
                                                               + (streamed ? #", "stream": true}"# : "}"))
            guard streamed else { return ((reply.json as? [String: Any])?["choices"] as? [[String: Any]] ?? []).map { $0["text"] as? String ?? "?" } }
            var out: [Int: String] = [:]
            for event in reply.body.components(separatedBy: "\n\n") where event.hasPrefix("data: {") {
                let json = try JSONSerialization.jsonObject(with: Data(event.dropFirst(6).utf8)) as? [String: Any]
                for choice in json?["choices"] as? [[String: Any]] ?? [] {
                    out[choice["index"] as? Int ?? -1, default: ""] += choice["text"] as? String ?? ""
                }
            }
            return out.keys.sorted().map { out[$0]! }
        }
        let alone = try requests.map { try texts($0, streamed: false) }
        try #require(alone.map(\.count) == [1, 2, 1, 1, 1, 1], "\(alone)")
        #expect(alone[0][0].count == 40 && alone[3][0].count == 1 && alone[2][0].count < 30 && !alone[2][0].contains("e"),
                "the stop text ends it: \(alone)")
        let metrics = { try HTTPClient(address: address).get("/metrics").body }
        func figure(_ name: String, in text: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(name + "{") }.flatMap { Double($0.split(separator: " ").last!) } ?? 0
        }
        let before = try metrics()
        let together = Locked<[Int: [String]]>([:])
        let done = DispatchGroup()
        for k in 0..<(2 * requests.count) {   // a thread each, so that all are in flight at once
            done.enter()
            Thread {
                let got = (try? texts(requests[k % requests.count], streamed: k < requests.count)) ?? []
                together.withLock { $0[k] = got }
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + testTimeout) == .success)
        let after = try metrics()
        for k in 0..<(2 * requests.count) {
            #expect(together.withLock { $0[k] } == alone[k % requests.count], "request \(k % requests.count), streamed \(k < requests.count)")
        }
        let steps = figure("descent_writing_steps_total", in: after) - figure("descent_writing_steps_total", in: before)
        let tokens = figure("descent_tokens_generated_total", in: after) - figure("descent_tokens_generated_total", in: before)
        #expect(steps > 0 && tokens > steps, "\(tokens) tokens in \(steps) steps: rows of several requests in one step")
    }

    /// A stream whose client goes is taken out of the writing loop and counted out of the
    /// streams: more clients than `maxStreams` leaving one after another do not lock others out.
    @Test func aStreamWhoseClientGoesEnds() throws {
        let (session, _, address, _) = try ModelServerTests.serving("seed 2\ndata words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1 name=words")
        defer { session.shutDown() }
        let client = HTTPClient(address: address)
        let body = #"{"model": "words", "prompt": "th", "max_tokens": 1000, "stream": true}"#
        let request = Array(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                             + "Content-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
        for _ in 0..<(OpenAICompatible.maxStreams + 8) {
            let fd = try client.connected()
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            var head = [UInt8](repeating: 0, count: 256)
            #expect(recv(fd, &head, head.count, 0) > 0)
            close(fd)
        }
        var reply = try client.post("/v1/completions", #"{"model": "words", "prompt": "a", "max_tokens": 3, "stream": true}"#)
        for _ in 0..<100 where reply.status == 429 {
            usleep(50_000)
            reply = try client.post("/v1/completions", #"{"model": "words", "prompt": "a", "max_tokens": 3, "stream": true}"#)
        }
        #expect(reply.status == 200 && reply.body.hasSuffix("data: [DONE]\n\n"), "\(reply.status): \(reply.body.suffix(200))")
        // The loop stopped writing them: every one kept is finished, short of its 1,000 tokens.
        let service = try #require(session.display.models.server?.service)
        var kept = service.recentCompletions(limit: 16)
        for _ in 0..<100 where !kept.allSatisfy(\.finished) {
            usleep(50_000)
            kept = service.recentCompletions(limit: 16)
        }
        #expect(kept.count == 16 && kept.allSatisfy { $0.finished && $0.text.count < 1000 }, "\(kept.map { ($0.finished, $0.text.count) })")
    }

    /// On a kept connection, requests sent behind a stream (pipelined) are answered after it, in order.
    @Test func requestsBehindAStreamWaitTheirTurn() throws {
        let (session, _, address, _) = try ModelServerTests.serving("seed 2\ndata words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1 name=words")
        defer { session.shutDown() }
        let post = { (body: String, closing: Bool) in InlineInferenceTests.request("POST", "/v1/completions", body: body, closing: closing) }
        let reply = try InlineInferenceTests.pipelined([post(#"{"model": "words", "prompt": "th", "max_tokens": 30, "stream": true, "seed": 1}"#, false),
                                                        post(#"{"model": "words", "prompt": "th", "max_tokens": 4, "seed": 1}"#, false),
                                                        post(#"{"model": "nosuch", "prompt": "th"}"#, true)], to: HTTPClient(address: address))
        let answers = reply.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0 }
        #expect(answers.map { $0.prefix(3) } == ["200", "200", "404"], "\(answers)")
        guard answers.count == 3 else { return }
        #expect(answers[0].contains("text/event-stream") && answers[0].contains("data: [DONE]"), "the stream, whole, first")
        #expect(answers[1].contains("\"choices\"") && !answers[1].contains("data: "), "then the whole answer")
    }

    @Test func errorsInOpenAIsShape() throws {
        let (session, _, address, _) = try ModelServerTests.serving("seed 2\ndata words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1 name=words")
        defer { session.shutDown() }
        let client = HTTPClient(address: address)
        for (body, status, param) in [(#"{"model": "nosuch", "prompt": "a"}"#, 404, "model"),
                                      (#"{"model": "words", "prompt": "a", "max_tokens": 100000}"#, 400, "max_tokens"),
                                      (#"{"model": "words", "prompt": "A!"}"#, 400, "prompt"),
                                      (#"{"model": "words", "prompt": "a", "temperature": 5}"#, 400, "temperature"),
                                      (#"{"model": "words", "prompt": "a", "stream": "yes"}"#, 400, "stream"),
                                      (#"{"model": "words", "prompt": "a", "stream_options": {"include_usage": 1}}"#, 400, "stream_options"),
                                      (#"{"model": "words", "messages": [{"role": "robot", "content": "a"}]}"#, 400, "messages"),
                                      (#"{"model": "words", "messages": [{"role": "system", "content": "A"}, {"role": "user", "content": "a"}]}"#,
                                       400, "messages"),
                                      (#"{"model": "words", "messages": [{"role": "user", "content": "a"}], "max_completion_tokens": 2, "max_tokens": -1}"#,
                                       400, "max_tokens")] {
            let reply = try client.post(body.contains("messages") ? "/v1/chat/completions" : "/v1/completions", body)
            let error = try #require((reply.json as? [String: Any])?["error"] as? [String: Any], "\(reply.body)")
            #expect(reply.status == status && error["param"] as? String == param && error["message"] is String && error["type"] is String,
                    "\(body): \(reply.body)")
        }
        let chat = try client.post("/v1/chat/completions",
                                   #"{"model": "words", "messages": [{"role": "user", "content": "th"}], "max_tokens": 5, "seed": 1}"#)
        let message = try #require(((chat.json as? [String: Any])?["choices"] as? [[String: Any]])?.first?["message"] as? [String: String])
        #expect(message["role"] == "assistant" && message["content"]?.count == 5, "\(chat.body)")
        #expect(try client.get("/v1/completions").head.contains("\r\nallow: post"))
        let v2 = try client.get("/v2/models/words")
        #expect(v2.status == 404 && v2.body.contains("words writes text: POST /v1/completions"), "\(v2.body)")
    }
}
}
