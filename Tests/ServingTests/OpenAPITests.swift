import Testing
import Foundation
import TestSupport
import Datasets
@testable import WorkbenchCore
@testable import Serving
import Models

/// The OpenAPI document describes the models served (issue 25, section 4), and the readers keep
/// to what it says: a request it allows is answered, one it forbids is refused. (schemathesis
/// checks the same over HTTP in `make test`; these pin the rules at their boundaries.)
@Suite struct OpenAPITests {
    static func model(_ script: String, name: String) throws -> Predictor {
        let session = Session { _ in }
        defer { session.shutDown() }
        let runner = ScriptRunner(session: session, stopOnFailure: true)
        runner.enqueue(script: script, file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        return try Predictor(try session.modelFile(), name: name)
    }

    static func document(_ models: [Predictor], keyRequired: Bool = false) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(OpenAPI.document(models: models, keyRequired: keyRequired).utf8))
            as? [String: Any])
    }

    static func requestSchema(_ document: [String: Any], _ path: String) throws -> [String: Any] {
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let operation = try #require(paths[path]?["post"] as? [String: Any])
        let body = try #require((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])
        return try #require((body["application/json"] as? [String: Any])?["schema"] as? [String: Any])
    }

    @Test func aTablesRowsAreStatedColumnByColumn() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        var csv = "size,colour,kind\n"
        for i in 0..<40 { csv += "\(i % 7),\(["red", "blue", "7"][i % 3]),\(i % 2 == 0 ? "a" : "b")\n" }
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        let table = try Self.model("seed 1\ndata csv \(file) label=kind\nmodel mlp 4\ntrain epochs=2", name: "table")
        let document = try Self.document([table])
        #expect(document["openapi"] as? String == "3.1.0")
        let inputs = try #require((Self.requestSchema(document, "/v1/predict")["properties"] as? [String: Any])?["inputs"] as? [String: Any])
        let row = try #require(inputs["items"] as? [String: Any])
        let cells = try #require(row["prefixItems"] as? [[String: Any]])
        #expect(row["items"] as? Bool == false && row["minItems"] as? Int == 2)
        #expect(cells[0]["type"] as? String == "number" && abs(((cells[0]["maximum"] as? NSNumber)?.doubleValue ?? 0) / InputSchema.largestMagnitude - 1) < 1e-12)
        // A category by its name, or by the JSON number that spells it.
        #expect((cells[1]["enum"] as? [Any])?.map { "\($0)" } == ["7", "blue", "red", "7"])
        // The readers agree: the bound is exact, a number column takes JSON numbers only.
        let top = InputSchema.largestMagnitude
        #expect(API.predict(Array(#"{"inputs": [[\#(top), "blue"]]}"#.utf8), table).status == 200)
        #expect(API.predict(Array(#"{"inputs": [[\#(top.nextUp), "blue"]]}"#.utf8), table).status == 422)
        #expect(API.predict(Array(#"{"inputs": [[3, 7]]}"#.utf8), table).status == 200)
        let text = API.predict(Array(#"{"inputs": [["3", "red"]]}"#.utf8), table)
        #expect(text.status == 422 && text.body.contains(#""column":"size""#), "\(text.body)")
        #expect(API.predict(Array(#"{"inputs": [3]}"#.utf8), table).status == 422)
        // v2: the table is BYTES, its numbers written plainly.
        let v2 = #"{"inputs": [{"name": "input", "datatype": "BYTES", "shape": [1, 2], "data": [NUMBER, "red"]}]}"#
        for (number, status) in [(#""3.5""#, 200), (#""-12""#, 200), (#""1e5""#, 400), (#"" 3""#, 400), (#""inf""#, 400), ("3.5", 400)] {
            let answer = OpenInference.infer(Array(v2.replacingOccurrences(of: "NUMBER", with: number).utf8), headerLength: nil, predictor: table)
            #expect(answer.status == status, "\(number): \(answer.body)")
        }
    }

    @Test func theOpenInferenceRequestIsStatedAndKept() throws {
        let iris = try Self.model("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=2", name: "iris")
        let words = try Self.model("seed 2\ndata words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1", name: "words")
        let document = try Self.document([iris, words], keyRequired: true)
        let paths = try #require(document["paths"] as? [String: Any])
        #expect(paths["/v2/models/iris/infer"] != nil && paths["/v2/models/words/infer"] == nil, "a writer answers OpenAI's API")
        #expect(paths["/v1/completions"] != nil && document["security"] != nil)
        let completion = try Self.requestSchema(document, "/v1/completions")
        let prompt = try #require(((completion["properties"] as? [String: Any])?["prompt"] as? [String: Any])?["oneOf"] as? [[String: Any]])
        #expect(prompt[0]["pattern"] as? String == "^[.abcdefghijklmnopqrstuvwxyz]*$")
        let tensor = try #require(((Self.requestSchema(document, "/v2/models/iris/infer")["properties"] as? [String: Any])?["inputs"]
            as? [String: Any])?["items"] as? [String: Any])
        #expect((tensor["oneOf"] as? [Any])?.count == 3 * OpenAPI.documentedRows * 2, "3 datatype kinds × rows × flat or nested")
        func infer(_ datatype: String, _ shape: String, _ data: String, extra: String = "") -> Int {
            let body = #"{"inputs": [{"name": "input", "datatype": "\#(datatype)", "shape": \#(shape), "data": \#(data)}]\#(extra)}"#
            return OpenInference.infer(Array(body.utf8), headerLength: nil, predictor: iris).status
        }
        #expect(infer("FP32", "[1, 4]", "[5.1, 3.5, 1.4, 0.2]") == 200)
        #expect(infer("FP32", "[2, 4]", "[[5.1, 3.5, 1.4, 0.2], [6, 3, 5, 2]]") == 200)
        #expect(infer("FP32", "[2, 4]", "[[5.1, 3.5, 1.4], [0.2, 6, 3, 5, 2]]") == 400, "nested rows are each 4 wide")
        #expect(infer("FP32", "[1, 4]", "[[5.1], 3.5, 1.4, 0.2]") == 400)
        #expect(infer("INT64", "[1, 4]", "[5, 3, 1, 9007199254740991]") == 200)
        #expect(infer("INT64", "[1, 4]", "[5, 3, 1, 9007199254740992]") == 400)
        #expect(infer("INT32", "[1, 4]", "[5, 3, 1, 0.5]") == 400)
        #expect(infer("BYTES", "[1, 4]", #"["5", "3", "1", "0"]"#) == 400, "the metadata says FP32")
        #expect(infer("FP32", "[1, 4]", "[5, 3, 1, 0]", extra: #", "id": 7"#) == 400)
        #expect(infer("FP32", "[1, 4]", "[5, 3, 1, 0]", extra: #", "parameters": {"binary_data_output": "yes"}"#) == 400)
        #expect(infer("FP32", "[1, 4]", "[5, 3, 1, 0]", extra: #", "outputs": [{"name": "class", "parameters": {"binary_data": 1}}]"#) == 400)
    }

    @Test func numbersWrittenPlainly() {
        for (text, value) in [("0", 0.0), ("-12.25", -12.25), (String(repeating: "9", count: 38), 1e38 - 1)] as [(String, Double?)] {
            #expect(NumberText.value(of: text) == value, "\(text)")
        }
        for text in ["", "-", "1.", ".5", "1e3", "+1", " 1", "1 ", String(repeating: "9", count: 39), "1." + String(repeating: "0", count: 21), "0x10"] {
            #expect(NumberText.value(of: text) == nil, "\(text)")
        }
    }
}
