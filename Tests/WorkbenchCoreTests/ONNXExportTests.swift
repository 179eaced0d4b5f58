import Testing
import Foundation
import TestSupport
@testable import WorkbenchCore

/// `export onnx` (issue 26): the model and its validation split with Descent's outputs beside it;
/// onnx's checker and onnxruntime judge every preset in `make test` (Tests/Interop/onnx_check.py).
@Suite struct ONNXExportTests {
    @Test func theModelAndItsCheckAreWrittenTogether() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-\(UUID().uuidString)").path
        defer { for suffix in [".onnx", ".validation.csv"] { try? FileManager.default.removeItem(atPath: base + suffix) } }
        let (session, _, t) = scriptedSession("export onnx \(base)\nseed 1\ndata iris\nmodel mlp 8\ntrain epochs=3\nexport onnx \(base).onnx")
        defer { session.shutDown() }
        #expect(t.errors.count == 1 && t.errors[0].contains("no trained model yet"), "\(t.errors)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: base + ".onnx")))
        #expect(bytes.prefix(2) == [0x08, 0x08], "ModelProto.ir_version 8 first")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("LayerNormalization") == false && text.contains("Softmax") && text.contains("class_names"))
        let rows = try String(contentsOfFile: base + ".validation.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "sepal length,sepal width,petal length,petal width,descent_setosa,descent_versicolor,descent_virginica"
                && rows.count == 31, "\(rows.prefix(2))")
    }
}
