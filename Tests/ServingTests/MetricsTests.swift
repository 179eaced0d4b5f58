import Testing
import Foundation
import TestSupport
@testable import WorkbenchCore
@testable import Serving
import Models

extension ModelServerTests {
/// `GET /metrics` (issue 25): Prometheus' text format; counters move as requests are made; the
/// session's run shows in the training gauges; endpoints are route templates.
@Suite struct MetricsTests {
    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func countersMoveAndTheRunShows() throws {
        let (session, runner, address, _) = try ModelServerTests.serving("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=5 name=iris")
        defer { session.shutDown() }
        let client = HTTPClient(address: address)
        let row = #"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [5.9, 3.0, 4.2, 1.5]}]}"#
        for _ in 0..<3 { _ = try client.post("/v2/models/iris/versions/1/infer", row) }
        _ = try client.get("/no/such/path")
        runner.enqueue(script: "train epochs=3", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        session.poll()
        let reply = try client.get("/metrics")
        #expect(reply.status == 200 && reply.head.contains("content-type: text/plain; version=0.0.4"), "\(reply.head)")
        let text = reply.body
        #expect(Self.value(text, #"descent_http_requests_total{endpoint="/v2/models/{name}/infer",status="200"}"#) == 3, "\(text)")
        #expect(Self.value(text, #"descent_http_requests_total{endpoint="other",status="404"}"#) == 1)
        #expect(text.contains("# TYPE descent_http_request_duration_seconds histogram"))
        #expect(Self.value(text, #"descent_http_request_duration_seconds_count{endpoint="/v2/models/{name}/infer"}"#) == 3)
        #expect(Self.value(text, "descent_training_epoch") == 3, "the current run: the second, 3 epochs")
        #expect((Self.value(text, "descent_training_loss") ?? .nan).isFinite)
        #expect(Self.value(text, "descent_model_swaps_total") ?? 0 >= 1, "the run that ended replaced the served model")
        #expect(Self.value(text, #"descent_model_swap_seconds_count"#) == Self.value(text, "descent_model_swaps_total"))
        let load = try #require(text.split(separator: "\n").first { $0.hasPrefix("descent_model_load_seconds{") }, "\(text)")
        #expect((Double(load.split(separator: " ").last ?? "") ?? -1) > 0, "\(load)")
        #expect(try client.post("/metrics", "{}").head.contains("\r\nallow: get"))
    }

    /// Beyond loopback every request (metrics included) needs the key the server made; a wrong
    /// or missing one gets 401 with `WWW-Authenticate`.
    @Test func beyondLoopbackAKeyIsAsked() throws {
        let (session, _, _, _) = try ModelServerTests.serving("seed 1\ndata iris\nmodel mlp 4\ntrain epochs=1")
        let file = try session.modelFile()
        session.shutDown()
        let server = ModelServer(ownThreads: true)
        let address = try server.start(predictor: try Predictor(file, name: "iris"), host: "0.0.0.0", port: 0)
        defer { server.stop() }
        let key = try #require(server.apiKey)
        #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
        let client = HTTPClient(address: address)
        for headers in [[], ["Authorization: Bearer wrong"], ["Authorization: \(key)"]] {
            let reply = try client.send("GET", "/metrics", body: nil, headers: headers)
            #expect(reply.status == 401 && reply.head.contains("www-authenticate: bearer"), "\(headers): \(reply.head)")
        }
        let ok = try client.send("GET", "/v2/models/iris", body: nil, headers: ["Authorization: Bearer \(key)"])
        #expect(ok.status == 200, "\(ok.body)")
        #expect(APIKey.same(Array("abc".utf8), Array("abc".utf8)) && !APIKey.same(Array("abc".utf8), Array("abd".utf8))
                && !APIKey.same(Array("ab".utf8), Array("abc".utf8)))
        let loopback = ModelServer(ownThreads: true)
        _ = try loopback.start(predictor: try Predictor(file, name: "iris"), host: "127.0.0.1", port: 0)
        #expect(loopback.apiKey == nil, "loopback needs no key")
        loopback.stop()
    }
}

}
