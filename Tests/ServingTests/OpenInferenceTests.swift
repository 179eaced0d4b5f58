import Testing
import Foundation
import TestSupport
import Datasets
@testable import WorkbenchCore
@testable import Serving
import Models

/// The Open Inference Protocol v2 (issue 25), over real HTTP: health, metadata, inference in
/// JSON and in the binary tensor extension, errors as `{"error": …}`, 405 with `Allow`. Nested
/// in `ModelServerTests` to run serialised with its other servers: a port one test's server let
/// go may be the next one's, and `serve stop` checks nothing answers there any more.
extension ModelServerTests {
@Suite struct OpenInferenceTests {
    static let rows: [[Float]] = [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 3.0, 4.2, 1.5]]

    static func iris() throws -> (Session, HTTPClient, [Prediction]) {
        let (session, _, address, _) = try ModelServerTests.serving("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=20 name=iris")
        let local = try Predictor(try session.modelFile()).predict(rows.map { $0.map { .number(Double($0)) } })
        return (session, HTTPClient(address: address), local)
    }

    @Test func healthAndMetadata() throws {
        let (session, client, _) = try Self.iris()
        defer { session.shutDown() }
        let server = try #require(try client.get("/v2").json as? [String: Any])
        #expect(server["extensions"] as? [String] == ["binary_tensor_data"])
        for path in ["/v2/health/live", "/v2/health/ready", "/v2/models/iris/ready", "/v2/models/iris/versions/1/ready"] {
            #expect(try client.get(path).status == 200, "\(path)")
        }
        let meta = try #require(try client.get("/v2/models/iris").json as? [String: Any])
        #expect(meta["name"] as? String == "iris")
        let inputs = try #require(meta["inputs"] as? [[String: Any]])
        #expect(inputs.count == 1 && inputs[0]["datatype"] as? String == "FP32" && inputs[0]["shape"] as? [Int] == [-1, 4])
        let outputs = try #require(meta["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["name"] as? String } == ["class", "probabilities"])
        #expect(outputs[1]["shape"] as? [Int] == [-1, 3])
        let missing = try client.get("/v2/models/nosuch")
        #expect(missing.status == 404 && missing.body == #"{"error":"no model named nosuch: this server serves iris"}"#)
    }

    @Test func jsonInferenceEqualsPredict() throws {
        let (session, client, local) = try Self.iris()
        defer { session.shutDown() }
        let body = #"{"id": "42", "inputs": [{"name": "input", "datatype": "FP32", "shape": [3, 4], "data": "# + "\(Self.rows)" + "}]}"
        let reply = try client.post("/v2/models/iris/infer", body)
        #expect(reply.status == 200, "\(reply.body)")
        let answer = try #require(reply.json as? [String: Any])
        #expect(answer["id"] as? String == "42" && answer["model_name"] as? String == "iris")
        let outputs = try #require(answer["outputs"] as? [[String: Any]])
        let classes = try #require(outputs.first { $0["name"] as? String == "class" }?["data"] as? [String])
        let probabilities = try #require(outputs.first { $0["name"] as? String == "probabilities" }?["data"] as? [Double])
        #expect(classes == local.map { ["setosa", "versicolor", "virginica"][$0.classIndex!] })
        #expect(probabilities.map(Float.init) == local.flatMap { $0.probabilities! })
    }

    /// Triton's binary tensor extension both ways: FP32 input bytes after the JSON header, and
    /// BYTES and FP32 outputs after the answer's.
    @Test func binaryInferenceEqualsPredict() throws {
        let (session, client, local) = try Self.iris()
        defer { session.shutDown() }
        let tensor = Self.rows.flatMap { $0 }.flatMap { x in withUnsafeBytes(of: x.bitPattern.littleEndian) { Array($0) } }
        let header = Array((#"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [3, 4], "parameters": {"binary_data_size": "#
            + "\(tensor.count)" + #"}}], "parameters": {"binary_data_output": true}}"#).utf8)
        let reply = try client.send("POST", "/v2/models/iris/infer", body: header + tensor,
                                    headers: ["Inference-Header-Content-Length: \(header.count)"])
        #expect(reply.status == 200, "\(reply.body)")
        let lengthLine = try #require(reply.head.split(separator: "\r\n").first { $0.hasPrefix("inference-header-content-length:") })
        let jsonLength = try #require(Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(reply.bytes[..<jsonLength])) as? [String: Any])
        let outputs = try #require(json["outputs"] as? [[String: Any]])
        #expect(outputs.allSatisfy { $0["data"] == nil && ($0["parameters"] as? [String: Any])?["binary_data_size"] != nil })
        var rest = reply.bytes[jsonLength...]
        func u32() -> Int { defer { rest = rest.dropFirst(4) }; return rest.prefix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } }
        var classes: [String] = []
        for _ in 0..<3 {
            let n = u32()
            classes.append(String(decoding: rest.prefix(n), as: UTF8.self))
            rest = rest.dropFirst(n)
        }
        let probabilities = (0..<9).map { _ in Float(bitPattern: UInt32(u32())) }
        #expect(rest.isEmpty)
        #expect(classes == local.map { ["setosa", "versicolor", "virginica"][$0.classIndex!] })
        #expect(probabilities == local.flatMap { $0.probabilities! })
    }

    @Test func badRequestsAreRefusedWithTheirReason() throws {
        let (session, client, _) = try Self.iris()
        defer { session.shutDown() }
        for (body, error) in [
            (#"{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}]}"#, #"inputs[0].name: expected \"input\""#),
            (#"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}"#, "inputs[0].shape: expected [rows, 4], got [1,3]"),
            (#"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3]}]}"#, "inputs[0].data: 4 elements for shape [1, 4], got 3"),
            (#"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": ["a", 2, 3, 4]}]}"#, "inputs[0].data[0]: expected a number for FP32"),
            (#"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}], "outputs": [{"name": "nope"}]}"#,
             "outputs: each a known name: class, probabilities"),
            ("{", "malformed JSON"),
        ] {
            let reply = try client.post("/v2/models/iris/infer", body)
            #expect(reply.status == 400 && reply.body.contains(error), "\(body): \(reply.body)")
            #expect(reply.body.hasPrefix(#"{"error":"#))
        }
        let get = try client.get("/v2/models/iris/infer")
        #expect(get.status == 405 && get.head.contains("\r\nallow: post"), "\(get.head)")
        let v1 = try client.get("/v1/predict")
        #expect(v1.status == 405 && v1.head.contains("\r\nallow: post"), "RFC 9110: a 405 says what is allowed")
    }

    /// A text classifier takes BYTES, a sorting GPT BYTES symbols and answers BYTES.
    @Test func textAndSequenceModels() throws {
        let (text, _, address, _) = try ModelServerTests.serving("seed 1\ndata reviews n=400\nmodel textcls\ntrain epochs=2")
        defer { text.shutDown() }
        let client = HTTPClient(address: address)
        let meta = try #require(try client.get("/v2/models/model").json as? [String: Any])
        #expect((meta["inputs"] as? [[String: Any]])?.first?["datatype"] as? String == "BYTES")
        let reply = try client.post("/v2/models/model/infer",
                                    #"{"inputs": [{"name": "input", "datatype": "BYTES", "shape": [2, 1], "data": ["a great film", "dull and slow"]}]}"#)
        #expect(reply.status == 200, "\(reply.body)")
        let local = try Predictor(try text.modelFile()).predict([[.text("a great film")], [.text("dull and slow")]])
        let outputs = try #require((reply.json as? [String: Any])?["outputs"] as? [[String: Any]])
        let classes = text.display.data?.full.classNames ?? []
        #expect(outputs.first?["data"] as? [String] == local.map { classes[$0.classIndex!] })

        let (sort, _, sortAddress, _) = try ModelServerTests.serving("seed 1\ndata sort n=600\nmodel gpt layers=1\nbatch 64\ntrain epochs=2")
        defer { sort.shutDown() }
        let answer = try HTTPClient(address: sortAddress).post("/v2/models/model/infer",
            #"{"inputs": [{"name": "input", "datatype": "BYTES", "shape": [1, 6], "data": ["2", "0", "1", "1", "0", "2"]}]}"#)
        #expect(answer.status == 200, "\(answer.body)")
        let mine = try Predictor(try sort.modelFile()).predict([["2", "0", "1", "1", "0", "2"].map { .text($0) }])
        let written = try #require(((answer.json as? [String: Any])?["outputs"] as? [[String: Any]])?.first?["data"] as? [String])
        #expect(written == mine[0].answer)
    }

    /// `serve iris sorter`: two saved models at once, each under its name; `save iris` of a
    /// served name replaces it from the next request on.
    @Test func severalModelsAtOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("descent-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lines = ModelServerTests.LineLog()
        let session = Session { lines.append($0.text) }
        session.frontEnd.makeModelService = { ModelServer(ownThreads: true) }
        defer { session.shutDown() }
        let runner = ScriptRunner(session: session, stopOnFailure: true)
        runner.enqueue(script: "seed 1\ndata sort n=600\nmodel gpt layers=1\nbatch 64\ntrain epochs=1\nsave \(dir)/sorter\n"
                       + "seed 1\ndata iris\nmodel mlp 8\ntrain epochs=3\nsave \(dir)/iris\nserve \(dir)/iris \(dir)/sorter port=0", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout), "\(lines.all.suffix(5))")
        let line = try #require(lines.all.first { $0.hasPrefix("serving iris, sorter at http://") }, "\(lines.all.suffix(3))")
        let address = String(try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }).dropFirst("http://".count).dropLast())
        let client = HTTPClient(address: address)
        for name in ["iris", "sorter"] { #expect(try client.get("/v2/models/\(name)/ready").status == 200, "\(name)") }
        let row = #"{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 4], "data": [5.9, 3.0, 4.2, 1.5]}]}"#
        let before = try client.post("/v2/models/iris/infer", row).body
        #expect(try client.post("/v1/predict", #"{"inputs": [[5.9, 3.0, 4.2, 1.5]]}"#).status == 200, "the first model answers /v1")
        let sorted = try client.post("/v2/models/sorter/infer",
            #"{"inputs": [{"name": "input", "datatype": "BYTES", "shape": [1, 6], "data": ["2", "0", "1", "1", "0", "2"]}]}"#)
        #expect(sorted.status == 200, "\(sorted.body)")
        runner.enqueue(script: "train epochs=20\nsave \(dir)/iris", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(lines.all.contains("the served iris answers with the saved model from now on"))
        let after = try client.post("/v2/models/iris/infer", row).body
        #expect(after != before, "the saved model answers")
        let local = try Predictor(try session.modelFile()).predict([[.number(5.9), .number(3.0), .number(4.2), .number(1.5)]])
        #expect(after.contains("\(local[0].probabilities![1])"), "\(after)")
        #expect(try client.get("/v2/models/nosuch").body == #"{"error":"no model named nosuch: this server serves iris, sorter"}"#)
        session.execute(line: "serve stop")
    }
}

}
