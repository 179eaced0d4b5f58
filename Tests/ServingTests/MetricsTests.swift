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
        #expect(try client.post("/metrics", "{}").head.contains("\r\nallow: get"))
    }
}
}
