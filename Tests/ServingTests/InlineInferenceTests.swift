import Testing
import Foundation
import TestSupport
@testable import WorkbenchCore
@testable import Serving
import Models

/// The inline path (`InlineInference`): JSON inference answered on the event loop gives what
/// the router gives, is logged and counted the same, keeps pipelined responses in order, hands
/// large bodies to the router, and asks for the key beyond loopback. Nested in
/// `ModelServerTests` to run serialised with its other servers.
extension ModelServerTests {
@Suite struct InlineInferenceTests {
    static let v2Body = #"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [2, 4], "data": [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3]}]}"#

    /// Sends `requests` (raw HTTP/1.1 text) on one connection at once, the last asking to close,
    /// and returns everything the server wrote until it closed.
    static func pipelined(_ requests: [String], to client: HTTPClient) throws -> String {
        let fd = try client.connected()
        defer { close(fd) }
        let bytes = Array(requests.joined().utf8)
        _ = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var reply: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            reply += chunk[0..<n]
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// A kept connection stays open while it is used, however long, and closes once it has been
    /// idle for the timeout: every request counts, the ones answered here too (Hummingbird's own
    /// timeout, which sees only the requests it answers, closed busy connections).
    @Test func aKeptConnectionLastsWhileUsedAndClosesWhenIdle() throws {
        let (session, _, address, _) = try ModelServerTests.serving("seed 1\ndata iris\nmodel mlp 4\ntrain epochs=2 name=iris",
                                                                    idleTimeout: .milliseconds(600))
        defer { session.shutDown() }
        let fd = try HTTPClient(address: address).connected()
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        /// One answer on the kept connection, whole (its Content-Length), or nil once the server closed it.
        func answer() -> String? {
            var reply: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let text = String(decoding: reply, as: UTF8.self)
                if let end = text.range(of: "\r\n\r\n"),
                   let length = text[..<end.lowerBound].lowercased().split(separator: "\r\n")
                    .first(where: { $0.hasPrefix("content-length:") }).flatMap({ Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) }),
                   text[end.upperBound...].utf8.count >= length { return text }
                let n = recv(fd, &chunk, chunk.count, 0)
                if n <= 0 { return nil }
                reply += chunk[0..<n]
            }
        }
        let started = Date()
        var answered = 0
        while Date().timeIntervalSince(started) < 1.8 {   // three timeouts' time, a request every 0.2 s
            let request = Self.request("POST", "/v2/models/iris/infer", body: Self.v2Body)
            _ = Array(request.utf8).withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard let reply = answer() else { break }
            #expect(reply.hasPrefix("HTTP/1.1 200"), "\(reply.prefix(200))")
            answered += 1
            usleep(200_000)
        }
        #expect(answered >= 7, "the connection was closed after \(answered) answers, \(Date().timeIntervalSince(started)) s")
        let idle = Date()
        #expect(answer() == nil, "closed when idle")
        #expect(Date().timeIntervalSince(idle) < 3)
    }

    static func request(_ method: String, _ path: String, body: String = "", closing: Bool = false) -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (closing ? "Connection: close\r\n" : "")
            + (body.isEmpty ? "" : "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n") + "\r\n" + body
    }

    /// The JSON bodies of the responses in `text`, in order (each `Content-Length` long).
    static func bodies(_ text: String) -> [String] {
        var out: [String] = [], rest = Substring(text)
        while let end = rest.range(of: "\r\n\r\n") {
            let head = rest[..<end.lowerBound].lowercased()
            guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                  let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { break }
            let body = rest[end.upperBound...].utf8.prefix(length)
            out.append(String(decoding: body, as: UTF8.self))
            rest = Substring(String(decoding: rest[end.upperBound...].utf8.dropFirst(length), as: UTF8.self))
        }
        return out
    }

    @Test func inlineAnswersAreTheRoutersAndKeepTheirOrder() throws {
        let (session, _, _, _) = try ModelServerTests.serving("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=20")
        let file = try session.modelFile()
        session.shutDown()
        let server = ModelServer(ownThreads: true)
        let client = HTTPClient(address: try server.start(predictor: try Predictor(file, name: "iris"), host: "127.0.0.1", port: 0))
        defer { server.stop() }
        let inline = try client.post("/v2/models/iris/infer", Self.v2Body)
        #expect(inline.status == 200 && inline.head.contains("content-type: application/json") && inline.head.contains("date: "))
        let predict = try client.post("/v1/predict", #"{"inputs": [[5.1, 3.5, 1.4, 0.2]]}"#)
        #expect(predict.status == 200 && predict.body.contains("setosa"))
        // Behind a GET the router answers, the infer after it waits its turn and goes there too:
        // the same answer, in the order asked.
        let text = try Self.pipelined([Self.request("GET", "/healthz"), Self.request("POST", "/v2/models/iris/infer", body: Self.v2Body),
                                       Self.request("POST", "/v2/models/iris/versions/1/infer", body: Self.v2Body, closing: true)],
                                      to: client)
        let bodies = Self.bodies(text)
        #expect(bodies.count == 3 && bodies[0] == #"{"status":"ok"}"#, "\(bodies)")
        #expect(bodies.dropFirst().allSatisfy { $0 == inline.body }, "\(bodies) vs \(inline.body)")
        // Refusals come from the same functions.
        let bad = try client.post("/v2/models/iris/infer", #"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}"#)
        #expect(bad.status == 400 && bad.body.hasPrefix(#"{"error":"#), "\(bad.body)")
        let logged = server.recentRequests(limit: 10)
        #expect(logged.filter { $0.path == "/v2/models/iris/infer" }.map(\.status) == [200, 200, 400], "\(logged)")
        let metrics = try client.get("/metrics").body
        #expect(metrics.contains(#"descent_http_requests_total{endpoint="/v2/models/{name}/infer",status="200"} 3"#), "\(metrics)")
    }

    @Test func beyondLoopbackTheInlinePathAsksForTheKey() throws {
        let (session, _, _, _) = try ModelServerTests.serving("seed 1\ndata iris\nmodel mlp 4\ntrain epochs=1")
        let file = try session.modelFile()
        session.shutDown()
        let server = ModelServer(ownThreads: true)
        let client = HTTPClient(address: try server.start(predictor: try Predictor(file, name: "iris"), host: "0.0.0.0", port: 0))
        defer { server.stop() }
        let key = try #require(server.apiKey)
        for path in ["/v2/models/iris/infer", "/v1/predict"] {
            let body = path == "/v1/predict" ? #"{"inputs": [[5.1, 3.5, 1.4, 0.2]]}"# : Self.v2Body
            let refused = try client.send("POST", path, body: Array(body.utf8), headers: ["Authorization: Bearer wrong"])
            #expect(refused.status == 401 && refused.head.contains("www-authenticate: bearer"), "\(path): \(refused.head)")
            let admitted = try client.send("POST", path, body: Array(body.utf8), headers: ["Authorization: Bearer \(key)"])
            #expect(admitted.status == 200, "\(path): \(admitted.body)")
        }
    }

    @Test func aLargeBodyGoesToTheRouter() throws {
        let (session, _, address, _) = try ModelServerTests.serving("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=5")
        defer { session.shutDown() }
        let rows = Array(repeating: "[5.1, 3.5, 1.4, 0.2]", count: 4_000).joined(separator: ", ")
        #expect(rows.utf8.count > InlineInference.inlineBodyLimit)
        let reply = try HTTPClient(address: address).post("/v1/predict", #"{"inputs": ["# + rows + "]}")
        let predictions = (reply.json as? [String: Any])?["predictions"] as? [Any]
        #expect(reply.status == 200 && predictions?.count == 4_000)
    }
}
}
