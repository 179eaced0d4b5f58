import Testing
import Foundation
import TestSupport
import TensorCore
import NeuralEngine
import Datasets
import SafeTensorsFormat
@testable import WorkbenchCore
import Models

/// `save`, `load` and `predict` (issue 12): a loaded model predicts and trains on exactly as the
/// saved one would have, bit for bit on one machine; files are deterministic; a damaged file
/// leaves the session as it was.
@Suite struct SaveLoadTests {
    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-save-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func bits(_ session: Session) -> [String: [UInt32]] {
        guard let model = session.bench.runs.current?.trainer.model else { return [:] }
        return model.parameterValues.mapValues { $0.scalars.map(\.bitPattern) }
    }

    /// Train 20 epochs, or train 10, save, load in a new session and train 10: the same weights.
    @Test(arguments: [
        "seed 4\ndata moons\nmodel mlp 8 act=tanh",
        "seed 5\ndata spiral n=200\nmodel mlp 16,8 act=relu\ndropout 0.2\noptimizer momentum\nbatch 24",
        "seed 6\ndata iris\nmodel mlp 8\noptimizer rmsprop lr=0.02",
    ])
    func trainingGoesOnAsIfTheSessionHadNeverStopped(setup: String) throws {
        let dir = Self.folder()
        let (whole, _, _) = scriptedSession(setup + "\ntrain epochs=20")
        let (first, _, t1) = scriptedSession(setup + "\ntrain epochs=10\nsave \(dir)/half")
        #expect(t1.text.contains("saved \(dir)/half.safetensors"), "\(t1.text)")
        let (loaded, _, t2) = scriptedSession("load \(dir)/half")
        #expect(Self.bits(loaded) == Self.bits(first), "loaded weights equal saved ones: \(t2.text)")
        let (_, runner, t3) = scriptedSession("load \(dir)/half")
        _ = runner
        #expect(t3.text.contains("epoch 10, update"))
        runner.enqueue(script: "train epochs=10", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(!Self.bits(whole).isEmpty)
        #expect(Self.bits(runner.session) == Self.bits(whole), "train 10 + load + train 10 = train 20: \(t3.text)")
    }

    @Test func predictionsOfALoadedModelAreBitIdentical() throws {
        let dir = Self.folder()
        let (saved, _, _) = scriptedSession("seed 2\ndata iris\nmodel mlp 8\ntrain epochs=5\nsave \(dir)/m")
        let (loaded, _, _) = scriptedSession("load \(dir)/m")
        let a = try Predictor(try saved.modelFile()), b = try Predictor(try loaded.modelFile())
        let rows: [[InputSchema.Cell]] = [[.number(5.1), .number(3.5), .number(1.4), .number(0.2)],
                                          [.number(6.7), .number(3.0), .number(5.2), .number(2.3)]]
        let pa = try a.predict(rows), pb = try b.predict(rows)
        #expect(pa.map { $0.probabilities!.map(\.bitPattern) } == pb.map { $0.probabilities!.map(\.bitPattern) })
        // The predictor and the trainer agree on the same standardised input.
        let run = try #require(saved.bench.runs.current)
        let x = run.data.validation.features.rows(0..<3)
        let direct = try run.trainer.predict(x)
        let raw = (0..<3).map { i in (0..<4).map { j in InputSchema.Cell.number(Double(run.data.full.features.scalars[run.data.validationRows[i] * 4 + j])) } }
        let viaPredictor = try a.predict(raw).flatMap { $0.probabilities! }
        for (p, q) in zip(direct.scalars, viaPredictor) { #expect(abs(p - q) < 1e-5) }
    }

    /// A loaded model is evaluated at once: the views (the confusion matrix, layer summary) show
    /// it without waiting for an epoch of training, and say the same as the load's line.
    @Test func aLoadedModelIsShownAsItIs() throws {
        let dir = Self.folder()
        _ = scriptedSession("seed 2\ndata iris\nmodel mlp 8\ntrain epochs=5\nsave \(dir)/m")
        let (loaded, _, _) = scriptedSession("load \(dir)/m")
        let snapshot = try #require(loaded.display.latestSnapshot)
        let shown = try #require(snapshot.validation)
        let recorded = try #require(loaded.display.currentRun?.validationEvaluation)
        #expect(shown.confusion == recorded.confusion && shown.confusion != nil)
        #expect(snapshot.epoch == 5)
    }

    /// A loaded run goes on by the rule a stepped one does: `train epochs=N` ends at epoch N, its
    /// own epochs counted, or makes N more once it is there; the load line's example says which.
    @Test func aLoadedRunGoesOnByTheStepRule() throws {
        let dir = Self.folder()
        _ = scriptedSession("seed 2\ndata iris\nmodel mlp 8\ntrain epochs=5\nsave \(dir)/five")
        let (early, _, t1) = scriptedSession("load \(dir)/five\ntrain epochs=15")
        #expect(t1.text.contains("`train epochs=15` trains it on to epoch 15"), "\(t1.text)")
        #expect(early.display.records.last?.epochs == 15)
        let (late, _, _) = scriptedSession("load \(dir)/five\ntrain epochs=3")
        #expect(late.display.records.last?.epochs == 8)
    }

    @Test func savingTheSameModelTwiceWritesTheSameBytes() throws {
        let dir = Self.folder()
        let (_, _, t) = scriptedSession("seed 3\ndata xor\nmodel mlp 4\ntrain epochs=3\nsave \(dir)/a\nsave \(dir)/b")
        #expect(!t.text.contains("error"), "\(t.text)")
        let a = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.safetensors"))
        let b = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.safetensors"))
        #expect(a == b && !a.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: "\(dir)/a.json")) == Data(contentsOf: URL(fileURLWithPath: "\(dir)/b.json")))
        // Python's safetensors sees the weights under their `watch` names.
        let file = try SafeTensors.read([UInt8](a))
        #expect(file.entries.map(\.name).sorted() == ["dense1.b", "dense1.w", "dense2.b", "dense2.w"])
    }

    /// Damaged or mismatched files are refused with the file and the reason; the session's
    /// current run and set-up stay as they were.
    @Test func aBadFileLeavesTheSessionAsItWas() throws {
        let dir = Self.folder()
        _ = scriptedSession("seed 3\ndata xor\nmodel mlp 4\ntrain epochs=3\nsave \(dir)/good")
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(dir)/good.safetensors")))
        let file = try SafeTensors.read(good)
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(name).safetensors"))
        }
        // A NaN weight.
        var nan = good
        let w = try #require(file.entries.first { $0.name == "dense1.w" })
        nan.replaceSubrange(file.dataStart + w.begin..<file.dataStart + w.begin + 4, with: [0, 0, 192, 127])
        try write("nan", nan)
        // A tensor renamed, and one reshaped, with the real metadata.
        let tensors = try file.entries.map { e in
            SafeTensors.Tensor(name: e.name, shape: e.shape, scalars: try file.floats(e.name))
        }
        try write("renamed", try SafeTensors.encode(tensors.map { t in
            var t = t; if t.name == "dense2.b" { t.name = "dense9.b" }; return t }, metadata: file.metadata))
        try write("reshaped", try SafeTensors.encode(tensors.map { t in
            var t = t; if t.name == "dense1.b" { t.shape = [2, 2] }; return t }, metadata: file.metadata))
        try write("plain", try SafeTensors.encode(tensors, metadata: [:]))
        try write("truncated", Array(good.dropLast(3)))
        var metadata = file.metadata
        metadata["descent"] = metadata["descent"]!.replacingOccurrences(of: "\"epochs\":", with: "\"epochs\":\"x\",\"e\":")
        try write("badjson", try SafeTensors.encode(tensors, metadata: metadata))
        var classes = file.metadata
        classes["descent"] = classes["descent"]!.replacingOccurrences(of: #""classNames":["0","1"]"#, with: #""classNames":["0","1","2"]"#)
        #expect(classes != file.metadata)
        try write("classes", try SafeTensors.encode(tensors, metadata: classes))
        let cases: [(String, String)] = [
            ("nan", "nan.safetensors: \"dense1.w\" holds nan at element 0: weights must be finite"),
            ("renamed", "renamed.safetensors: tensor \"dense9.b\" is not a parameter of the model"),
            ("reshaped", "reshaped.safetensors: tensor \"dense1.b\" has shape [2, 2], the model's dense1.b is [4]"),
            ("plain", "plain.safetensors: no Descent model in its metadata"),
            ("truncated", "truncated.safetensors: the tensors take"),
            ("badjson", "epochs: expected Int"),
            ("classes", "classes.safetensors: preprocessing.classNames: 3 names for a model with 1 outputs"),
            ("missing", "missing.safetensors: no such file"),
        ]
        for (name, message) in cases {
            let (session, runner, t) = scriptedSession("seed 9\ndata moons\nmodel mlp 3\ntrain epochs=2")
            let before = Self.bits(session)
            let setup = session.display.setup
            runner.enqueue(script: "load \(dir)/\(name)", file: "test")
            #expect(runner.runToCompletion(timeout: testTimeout))
            #expect(t.text.contains(message), "\(name): \(t.text)")
            #expect(Self.bits(session) == before && session.display.setup == setup && session.display.records.count == 1, "\(name)")
        }
    }

    /// A regression's answer in the data's units reads as a number, not in exponent form.
    @Test func predictedValuesReadInTheDataUnits() {
        #expect(unitValue(357_660.38) == "357,660")
        #expect(unitValue(-12_345.6) == "-12,346")
        #expect(unitValue(2.5) == "2.5" && unitValue(9_999) == "9999" && unitValue(.nan) == "nan")
    }

    @Test func predictTakesARowInTheDataUnitsWithCategoriesByName() throws {
        let dir = Self.folder()
        var csv = "size,age,colour,kind\n"
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<120 {
            let size = Double.random(in: 50...250, using: &rng), age = Double(Int.random(in: 1...20, using: &rng))
            let colour = ["red", "blue", "green"].randomElement(using: &rng)!
            csv += "\(Int(size)),\(Int(age)),\(colour),\(size > 150 || colour == "red" ? "big" : "small")\n"
        }
        try csv.write(toFile: "\(dir)/things.csv", atomically: true, encoding: .utf8)
        let (_, _, t) = scriptedSession("""
            seed 1
            data csv \(dir)/things.csv label=kind
            model mlp 8
            train epochs=30
            predict 200 7 red
            predict 60 3 purple
            predict 60 3
            predict 200, 7, red
            predict 200,7,red
            """)
        #expect(t.text.contains("predicted big: big 0."), "\(t.text)")
        #expect(t.text.contains("predict: colour: expected one of blue, green, red, got \"purple\""), "\(t.text)")
        #expect(t.text.contains("predict: expected 3 values (size, age, colour (blue|green|red)), got 2"), "\(t.text)")
        // Commas between values, as the row's usage and a CSV line write them: the same row.
        let answers = t.text.split(separator: "\n").filter { $0.hasPrefix("predicted big") }
        #expect(answers.count == 3 && Set(answers).count == 1, "\(t.text)")
    }
}
