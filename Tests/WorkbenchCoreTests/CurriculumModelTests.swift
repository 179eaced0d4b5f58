import Testing
@testable import WorkbenchCore

/// `model cnn|textcls|rnn` and the dense models on images and sequences: what each builds for
/// the current data, its default loss, and what it says when the data does not fit.
@Suite struct CurriculumModelTests {
    @Test func cnnOnDigitsHasKerasShapesAndCounts() throws {
        let (session, _, t) = scriptedSession("data digits\nmodel cnn\nshow layers")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let summary = try session.display.currentSummary()
        #expect(summary.rows.map(\.outputShape) == ["(None, 6, 6, 32)", "(None, 3, 3, 32)", "(None, 288)", "(None, 10)"])
        #expect(summary.rows.map(\.parameters) == [320, 0, 0, 2890])
        #expect(summary.totalParameters == 3210)
        #expect(summary.rows.map(\.label) == ["Conv2D 32 3x3 relu", "MaxPool 2x2", "Flatten", "Dense 288→10 softmax"])
        #expect(t.text.contains("Total params: 3210"))
    }

    @Test func presetsPickTheirLoss() {
        let cases = [("data digits\nmodel cnn", "loss ce"), ("data reviews n=200\nmodel textcls", "loss bce"),
                     ("data sequence n=100\nmodel rnn", "loss mse")]
        for (script, loss) in cases {
            let (session, _, t) = scriptedSession("seed 1\n" + script + "\nbatch 64\ntrain epochs=1")
            #expect(t.errors.isEmpty, "\(script): \(t.errors)")
            #expect(t.text.contains(loss), "\(script)")
            #expect(session.display.records.first?.status == .finished)
        }
    }

    @Test func textAndSequencePresetsHaveKerasCounts() throws {
        let (text, _, _) = scriptedSession("data reviews n=200\nmodel textcls")
        let vocabulary = try #require(text.display.data.map { if case .tokens(let v, _) = $0.full.kind { v.count } else { 0 } })
        #expect(try text.display.currentSummary().rows.map(\.parameters) == [16 * vocabulary, 0, 272, 17])
        let (rnn, _, _) = scriptedSession("data sequence n=100\nmodel rnn")
        #expect(try rnn.display.currentSummary().rows.map(\.parameters) == [1088, 33])
    }

    @Test(arguments: [
        ("data spiral\nmodel cnn", "model cnn needs images, e.g. `data digits`"),
        ("data iris\nmodel textcls", "model textcls needs text, e.g. `data reviews`"),
        ("data digits\nmodel rnn", "model rnn needs sequences, e.g. `data sequence`"),
        ("data reviews n=100\nmodel mlp 8", "would read word ids as numbers: for text try `model textcls`"),
        ("data sequence n=100\nmodel logistic", "model logistic needs classes"),
        ("data iris\nmodel svm", "model svm separates two classes; this data has 3 classes"),
    ])
    func mismatchesSayWhatFits(script: String, message: String) {
        let (session, _, t) = scriptedSession(script)
        #expect(t.errors.count == 1 && t.errors[0].contains(message), "\(t.errors)")
        #expect(session.display.modelSpec == nil)
    }

    @Test func changingTheDataWarnsWhenTheModelNoLongerFits() {
        let (_, _, t) = scriptedSession("data digits\nmodel cnn\ndata spiral")
        #expect(t.lines.contains { $0.kind == .warning && $0.text.contains("model cnn does not fit this data") })
    }

    @Test func denseModelsFlattenImagesAndSaySo() throws {
        let (session, _, t) = scriptedSession("seed 2\ndata digits\nmodel mlp 32 act=relu\ntrain epochs=2")
        #expect(t.text.contains("a Flatten layer comes first: it turns each 8×8×1 sample into one row of 64 numbers"))
        #expect(try session.display.currentSummary().rows.first?.label == "Flatten")
        #expect((session.display.records.first?.validationEvaluation?.accuracy ?? 0) > 0.85)
    }

    @Test func aNewModelForgetsTheOldWatchedParameter() {
        let (session, _, t) = scriptedSession("seed 1\ndata sequence n=64\nmodel mlp 4\nstep\nmodel rnn\nstep")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(session.bench.watchTarget?.description.hasPrefix("simplernn1") == true)
    }
}
