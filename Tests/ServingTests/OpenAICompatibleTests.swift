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
