import Testing
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import TestSupport
@testable import WorkbenchCore

/// `export` (issue 12): SVG charts that an XML parser accepts, with title, axes, ticks and a
/// legend; CSV histories and data as written; scripts with the layout conversions.
@Suite struct ExportTests {
    static func folder() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-export-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The element names and texts of an SVG file, after an XML parser read all of it.
    final class SVGReader: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var texts: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) { elements.append(name) }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            let t = string.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty { texts.append(t) }
        }
    }

    static func read(_ path: String) throws -> SVGReader {
        let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: path)))
        let reader = SVGReader()
        parser.delegate = reader
        #expect(parser.parse(), "\(path): \(parser.parserError.map { "\($0)" } ?? "")")
        return reader
    }

    @Test func everyChartIsWellFormedSVGWithTitleAxesAndLegend() throws {
        let dir = Self.folder()
        let (_, _, t) = scriptedSession("""
            seed 1
            data spiral n=200
            model mlp 8 act=tanh
            train epochs=20
            export plot loss \(dir)/loss.svg
            export plot boundary \(dir)/boundary.svg
            export plot confusion \(dir)/confusion.svg
            data linear
            model linear
            train epochs=10
            export plot contour \(dir)/contour.svg
            export plot boundary \(dir)/none.svg
            """)
        #expect(t.text.contains("export plot boundary needs 2-D classification data"), "\(t.text)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/none.svg"))
        for (name, words) in [("loss", ["Loss, run 1", "epoch", "training loss", "validation loss"]),
                              ("boundary", ["Decision boundary", "x1", "x2"]),
                              ("confusion", ["Confusion matrix", "predicted", "true", "accuracy"]),
                              ("contour", ["Loss J(w, b), run 2", "descent path", "minimum"])] {
            let svg = try Self.read("\(dir)/\(name).svg")
            #expect(svg.elements.first == "svg" && svg.elements.contains("title") && svg.elements.contains("line"), "\(name)")
            for word in words { #expect(svg.texts.contains { $0.contains(word) }, "\(name): \(word) in \(svg.texts)") }
            #expect(svg.texts.filter { Double($0) != nil }.count >= 4, "\(name): numeric tick labels")
        }
    }

    @Test func metricsAndDataAreCSVAsTheRunHadThem() throws {
        let dir = Self.folder()
        let (session, _, _) = scriptedSession("""
            seed 2
            data iris
            model mlp 8
            train epochs=5
            export metrics \(dir)/m.csv
            export data \(dir)/d.csv
            """)
        let metrics = try String(contentsOfFile: "\(dir)/m.csv", encoding: .utf8).split(separator: "\n")
        #expect(metrics.first == "epoch,update,loss,val_loss,val_acc,lr")
        let record = try #require(session.display.currentRun)
        #expect(metrics.count == 1 + record.epochHistory.count)
        let last = metrics.last!.split(separator: ",")
        #expect(Float(last[2]) == record.epochHistory.last!.trainLoss && Float(last[5]) == 0.01)
        let data = try String(contentsOfFile: "\(dir)/d.csv", encoding: .utf8).split(separator: "\n")
        #expect(data.first == "split,sepal length,sepal width,petal length,petal width,target,class")
        #expect(data.count == 151)
        #expect(data.filter { $0.hasPrefix("train,") }.count == 120)
        // Features are standardised: the training rows' first column has mean 0.
        let firsts = data.filter { $0.hasPrefix("train,") }.map { Double($0.split(separator: ",")[1])! }
        #expect(abs(firsts.reduce(0, +) / Double(firsts.count)) < 1e-5)
    }

    @Test func cellsWithCommasQuotesAndSpacesAreQuoted() {
        #expect(TableExport.csv([["a,b", "say \"hi\"", " x", "é"]]) == "\"a,b\",\"say \"\"hi\"\"\",\" x\",é\n")
    }

    @Test func scriptsConvertLayoutsForEachFramework() throws {
        let dir = Self.folder()
        let (_, _, t) = scriptedSession("""
            seed 3
            data digits
            model cnn
            train epochs=1
            export keras \(dir)/k.py
            export pytorch \(dir)/p.py
            """)
        #expect(t.text.contains("wrote \(dir)/k.py with \(dir)/k.safetensors"), "\(t.text)")
        let keras = try String(contentsOfFile: "\(dir)/k.py", encoding: .utf8)
        let torch = try String(contentsOfFile: "\(dir)/p.py", encoding: .utf8)
        #expect(keras.contains(#"tensors["conv2d1.w"].reshape(3, 3, 1, "#))
        #expect(keras.contains("SparseCategoricalCrossentropy(from_logits=True)"))
        #expect(torch.contains(".permute(3, 2, 0, 1)"), "conv kernel to (F, C, kh, kw)")
        #expect(torch.contains("x.permute(0, 2, 3, 1).flatten(1)"), "flatten in channels-last order")
        #expect(torch.contains(#"t("dense1.w").T"#), "Linear.weight is the transpose")
        #expect(torch.contains("DistributedDataParallel(model") && torch.contains("DistributedSampler"))
        for file in ["k.safetensors", "k.json", "k.csv", "p.csv"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), "\(file)")
        }
    }

    /// The scripts say what they need: in the header, in the run hint, and (run where a
    /// package is missing) in one line instead of a traceback.
    @Test func scriptsSayWhatToInstall() throws {
        let dir = Self.folder()
        let (_, _, t) = scriptedSession("seed 3\ndata iris\nmodel softmax\ntrain epochs=1\nexport keras \(dir)/k.py\nexport pytorch \(dir)/p.py")
        #expect(t.text.contains("(needs pip install keras jax numpy safetensors)"), "\(t.text)")
        #expect(t.text.contains("(needs pip install torch numpy safetensors)"))
        let keras = try String(contentsOfFile: "\(dir)/k.py", encoding: .utf8)
        let torch = try String(contentsOfFile: "\(dir)/p.py", encoding: .utf8)
        #expect(keras.contains("# Needs: pip install keras jax numpy safetensors"))
        #expect(torch.contains("# Needs: pip install torch numpy safetensors"))
        // Run with a Python whose imports all fail (an empty module path, site packages off).
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return }
        for (script, packages) in [("k.py", "keras jax numpy safetensors"), ("p.py", "torch numpy safetensors")] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-S", "-s", "\(dir)/\(script)"]
            process.environment = ["PYTHONPATH": "/nonexistent", "PATH": "/usr/bin:/bin"]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            process.waitUntilExit()
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 1, "\(script): \(said)")
            #expect(said.hasPrefix("numpy is not installed: this script needs `pip install \(packages)`"), "\(script): \(said)")
        }
    }
}
