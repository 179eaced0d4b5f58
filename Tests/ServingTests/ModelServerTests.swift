import Testing
import Foundation
import TestSupport
import Datasets
@testable import WorkbenchCore
@testable import Serving
import Models

/// The model server (issue 12), talked to over real HTTP on 127.0.0.1, port 0.
@Suite(.serialized) struct ModelServerTests {
    /// A session that trained `script` and serves its model; returns it with the address.
    static func serving(_ script: String, idleTimeout: Duration = ModelServer.idleTimeout) throws -> (Session, ScriptRunner, String, [String]) {
        let lines = LineLog()
        let session = Session { lines.append($0.text) }
        session.frontEnd.makeModelService = { ModelServer(ownThreads: true, idleTimeout: idleTimeout) }
        let runner = ScriptRunner(session: session, stopOnFailure: true)
        runner.enqueue(script: script + "\nserve port=0", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        let line = try #require(lines.all.first { $0.hasPrefix("serving run") }, "\(lines.all)")
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }).dropFirst("http://".count)
        return (session, runner, String(address.dropLast()), lines.all)
    }

    final class LineLog: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ s: String) { lock.withLock { lines.append(s) } }
        var all: [String] { lock.withLock { lines } }
    }

    static let irisRows: [[Double]] = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]

    @Test func predictionsEqualTheSessionsOwn() throws {
        let (session, _, address, _) = try Self.serving("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=20")
        defer { session.shutDown() }
        let client = HTTPClient(address: address)
        let body = #"{"inputs": "# + "\(Self.irisRows)" + "}"
        let reply = try client.post("/v1/predict", body)
        #expect(reply.status == 200, "\(reply.body)")
        let predictions = try #require((reply.json as? [String: Any])?["predictions"] as? [[String: Any]])
        let local = try Predictor(try session.modelFile()).predict(Self.irisRows.map { $0.map(InputSchema.Cell.number) })
        #expect(predictions.count == 3)
        let classes = ["setosa", "versicolor", "virginica"]
        for (remote, mine) in zip(predictions, local) {
            #expect(remote["class"] as? String == classes[mine.classIndex!])
            let probabilities = try #require(remote["probabilities"] as? [String: Double])
            // Each probability is written in its shortest exact form: read back, the same Float.
            #expect(classes.map { Float(probabilities[$0]!) } == mine.probabilities!)
        }
        let model = try client.get("/v1/model")
        let description = try #require(model.json as? [String: Any])
        #expect(description["parameters"] as? Int == 67)
        #expect((description["output"] as? [String: Any])?["classes"] as? [String] == classes)
        #expect(try client.get("/healthz").body == #"{"status":"ok"}"#)
    }

    /// A sorting GPT answers over HTTP as `predict` does in the session: the symbols it wrote,
    /// with each one's probability; a wrong symbol gets a 422 naming its position.
    @Test func aSequenceModelWritesItsAnswer() throws {
        let (session, _, address, _) = try Self.serving("seed 1\ndata sort n=600\nmodel gpt layers=1\nbatch 64\ntrain epochs=2")
        defer { session.shutDown() }
        let client = HTTPClient(address: address)
        let reply = try client.post("/v1/predict", #"{"inputs": [[2, 0, 1, 1, 0, 2], ["1", "1", "0", "2", "2", "0"]]}"#)
        #expect(reply.status == 200, "\(reply.body)")
        let predictions = try #require((reply.json as? [String: Any])?["predictions"] as? [[String: Any]])
        let local = try Predictor(try session.modelFile()).predict([[2, 0, 1, 1, 0, 2], [1, 1, 0, 2, 2, 0]].map { $0.map(InputSchema.Cell.number) })
        for (remote, mine) in zip(predictions, local) {
            #expect(remote["answer"] as? [String] == mine.answer)
            #expect((remote["probabilities"] as? [Double])?.map(Float.init) == mine.answerProbabilities)
            #expect(mine.answer?.count == 6)
        }
        let bad = try client.post("/v1/predict", #"{"inputs": [[2, 0, 1, 7, 0, 2]]}"#)
        #expect(bad.status == 422 && bad.body.contains("expected one of 0 1 2, got \\\"7\\\"") && bad.body.contains("\"column\":\"3\""),
                "\(bad.body)")
        let model = try #require(try client.get("/v1/model").json as? [String: Any])
        #expect((model["input"] as? [String: Any])?["vocabulary"] as? [String] == ["0", "1", "2"])
    }

    /// Every bad request gets a 4xx with a JSON reason naming the row and column where one is to
    /// blame, and the session is not touched.
    @Test func badRequestsGetAReason() throws {
        let (session, _, address, _) = try Self.serving("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=2")
        defer { session.shutDown() }
        let client = HTTPClient(address: address)
        let records = session.display.records
        let tenThousandAndOne = "{\"inputs\": [" + Array(repeating: "[1,2,3,4]", count: 10_001).joined(separator: ",") + "]}"
        let cases: [(String, String, String?, Int, String)] = [
            ("POST", "/v1/predict", "{\"inputs\": [[1, 2,", 400, "malformed JSON at byte"),
            ("POST", "/v1/predict", "[1, 2, 3, 4]", 400, "expected a JSON object"),
            ("POST", "/v1/predict", "", 400, "malformed JSON"),
            ("POST", "/v1/predict", "{\"inputs\": [[1, 2, 3]]}", 422, "expected 4 values"),
            ("POST", "/v1/predict", "{\"inputs\": [[1, 2, 3, 4], [1, \"x\", 3, 4]]}", 422, "expected a number, got \\\"x\\\""),
            ("POST", "/v1/predict", "{\"inputs\": [[1, 2, 3, 1e999]]}", 422, "expected a finite number"),
            ("POST", "/v1/predict", "{\"inputs\": [[1, 2, 3, [4]]]}", 422, "expected a number or a text"),
            ("POST", "/v1/predict", "{\"inputs\": []}", 422, "at least one row"),
            ("POST", "/v1/predict", "{\"inputs\": 5}", 422, "a list of rows"),
            ("POST", "/v1/predict", tenThousandAndOne, 422, "at most 10000 rows"),
            ("POST", "/v1/predict", "{\"inputs\": " + String(repeating: "[", count: 10_000) + "}", 400, "nested deeper"),
            ("POST", "/v1/predict", "{\"inputs\": [\"" + String(repeating: "x", count: 1 << 20) + "\"]}", 413, "over 1048576 bytes"),
            ("GET", "/v1/predict", nil, 405, "GET is not allowed here: use POST"),
            ("POST", "/v1/model", "{}", 405, "use GET"),
            ("GET", "/v2/predict", nil, 404, "no such path"),
        ]
        for (method, path, body, status, reason) in cases {
            let reply = try client.send(method, path, body: body.map { Array($0.utf8) })
            #expect(reply.status == status, "\(method) \(path) \(body?.prefix(60) ?? ""): \(reply.status) \(reply.body.prefix(200))")
            #expect(reply.body.contains(reason), "\(reply.body.prefix(200))")
            #expect(reply.json is [String: Any], "JSON reason: \(reply.body.prefix(100))")
        }
        let width = try client.post("/v1/predict", "{\"inputs\": [[1, 2, 3, 4], [1, \"x\", 3, 4]]}")
        let reason = try #require(width.json as? [String: Any])
        #expect(reason["row"] as? Int == 1 && reason["column"] as? String == "sepal width")
        #expect(session.display.records == records)
        #expect(try client.get("/healthz").status == 200, "still answering")
    }

    /// 200 requests at once, from 8 threads, while a run trains at full pace in the session:
    /// every one answered, each with the prediction of the served copy.
    @Test func answersConcurrentRequestsWhileARunTrains() throws {
        let (session, _, address, _) = try Self.serving("seed 2\ndata spiral\nmodel mlp 32,32 act=tanh\nset pace max\ntrain epochs=3")
        defer { session.shutDown() }
        let expected = try HTTPClient(address: address).post("/v1/predict", #"{"inputs": [[0.5, -0.25]]}"#).body
        #expect(session.execute(line: "train epochs=100000"))
        #expect(session.isBusy)
        let threads = (0..<8).map { t in
            JoinableThread(name: "client \(t)") { () -> [String] in
                let client = HTTPClient(address: address)
                return (0..<25).map { _ in
                    guard let reply = try? client.post("/v1/predict", #"{"inputs": [[0.5, -0.25]]}"#) else { return "no reply" }
                    return reply.status == 200 ? reply.body : "\(reply.status) \(reply.body)"
                }
            }
        }
        let replies = threads.flatMap { $0.join() }
        #expect(session.isBusy, "the run trained all along")
        #expect(replies.count == 200)
        #expect(replies.allSatisfy { $0 == expected }, "\(Set(replies).prefix(3))")
        #expect(session.display.serveStatus?.requests ?? 0 >= 201)
        session.execute(line: "stop")
    }

    /// When a run ends the server answers with its model; `serve stop` stops it.
    @Test func aFinishedRunIsServedAndStopStops() throws {
        let (session, runner, address, _) = try Self.serving("seed 3\ndata iris\nmodel mlp 8\ntrain epochs=1")
        let client = HTTPClient(address: address)
        let before = try client.post("/v1/predict", "{\"inputs\": [[5.9, 3.0, 4.2, 1.5]]}").body
        runner.enqueue(script: "train epochs=40", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        session.poll()
        let after = try client.post("/v1/predict", "{\"inputs\": [[5.9, 3.0, 4.2, 1.5]]}").body
        let local = try Predictor(try session.modelFile()).predict([[.number(5.9), .number(3.0), .number(4.2), .number(1.5)]])
        #expect(after != before && after.contains(String(describing: local[0].probabilities![1])), "\(after)")
        session.execute(line: "show serve")
        session.execute(line: "serve stop")
        #expect(session.display.serveStatus == nil)
        #expect(throws: (any Error).self) { try client.get("/healthz") }
        session.shutDown()
    }

    /// A text model takes raw strings (its saved vocabulary encodes them); an image model rows
    /// of pixels. Both answer as the in-process predictor does.
    @Test(arguments: [
        ("seed 4\ndata reviews n=300\nmodel textcls\ntrain epochs=2", #"["a great film", "dull and far too long"]"#),
        ("seed 4\ndata digits\nmodel softmax\ntrain epochs=2", "[[" + Array(repeating: "0.5", count: 64).joined(separator: ",") + "]]"),
    ])
    func textAndImageModelsTakeTheirOwnRows(script: String, inputs: String) throws {
        let (session, _, address, _) = try Self.serving(script)
        defer { session.shutDown() }
        let reply = try HTTPClient(address: address).post("/v1/predict", "{\"inputs\": \(inputs)}")
        #expect(reply.status == 200, "\(reply.body)")
        let body = try #require(reply.json as? [String: Any])
        let predictions = try #require(body["predictions"] as? [[String: Any]])
        let predictor = try Predictor(try session.modelFile())
        let cells: [[InputSchema.Cell]]
        if inputs.hasPrefix("[\"") {
            cells = [["a great film"], ["dull and far too long"]].map { $0.map(InputSchema.Cell.text) }
        } else {
            cells = [Array(repeating: .number(0.5), count: 64)]
        }
        let local = try predictor.predict(cells)
        #expect(predictions.map { $0["class"] as? String } == local.map { predictor.card.classNames![$0.classIndex!] })
    }

    @Test func aPortInUseIsRefusedWithTheReason() throws {
        let (session, _, address, _) = try Self.serving("seed 1\ndata xor\nmodel mlp 4\ntrain epochs=2")
        defer { session.shutDown() }
        let port = Int(address.split(separator: ":").last!)!
        let model = try Predictor(try session.modelFile())
        let second = ModelServer(ownThreads: true)
        #expect(throws: DescentError.self) { try second.start(predictor: model, host: "127.0.0.1", port: port) }
    }
}
