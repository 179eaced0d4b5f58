import Testing
import Foundation
import TerminalUI
import TestSupport
import WorkbenchCore
@testable import WorkbenchUI

/// The data pane for each kind of data: digit images, texts, sequences, table rows, and the
/// samples `show misclassified` picks.
@MainActor
@Suite(.serialized) struct DataPaneSnapshotTests {
    static let digits = Scenario(fixture: "digits", setup: ["seed 42", "data digits", "model cnn", "optimizer adam lr=0.005"],
                                 training: ["train epochs=3"])

    func check(_ text: String, _ name: String) {
        let result = Snapshot.assertMatches(text, named: name, in: snapshotFolder)
        #expect(result.matched, Comment(rawValue: result.message))
    }

    /// The rows of the data pane (the top-left pane at this size).
    func dataPane(_ text: String, width: Int = 60, rows: Int = 15) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).prefix(rows).map { String($0.prefix(width)) }
    }

    @Test func digitsAt120x40() {
        let app = fixtureApp(Self.digits)
        let text = screen(app, width: 120, height: 40)
        check(text, "digits-cnn-120x40")
        let pane = dataPane(text).joined(separator: "\n")
        #expect(pane.contains("Data: digits  1797 images 8×8 · 10 classes"))
        #expect(pane.contains("▀") && pane.contains("█"))
        #expect(text.contains("Conv2D 32 3x3 relu") && text.contains("(6, 6, 32)") && text.contains("3210 params"))
    }

    /// Zoomed (F4), the 10-class confusion matrix shows every row and the per-class P/R/F1,
    /// and its footer sends nobody back to the REPL.
    @Test func aZoomedConfusionMatrixShowsEverything() {
        let app = fixtureApp(Self.digits)
        app.focus = .evaluation
        _ = app.handle(.function(4), input: InputLine(prompt: "", text: "", cursor: 0))
        for (width, height) in [(120, 40), (80, 24)] {
            let text = screen(app, width: width, height: height)
            check(text, "digits-confusion-zoomed-\(width)x\(height)")
            #expect(!text.contains("show confusion"))
        }
        let big = screen(app, width: 120, height: 40)
        #expect(big.contains("F1") && big.contains("macro") && !big.contains("rows 1–"), "\(big)")
    }

    /// The one-hot columns of a category keep their values when their names are cut.
    @Test func oneHotColumnsStayToldApart() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-onehot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("houses.csv").path
        var csv = "area_m2,rooms,age_years,garden,price_k\n"
        for i in 0..<40 { csv += "\(50 + i),\(1 + i % 4),\(i),\(i % 2 == 0 ? "yes" : "no"),\(100 + 3 * i)\n" }
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let app = scriptedApp(["data csv \"\(path)\" label=price_k"])
        let pane = dataPane(screen(app, width: 120, height: 40)).joined(separator: "\n")
        #expect(pane.contains("=no ") && pane.contains("…=yes"), "\(pane)")
        #expect(!pane.contains("garden=…"), "\(pane)")
        #expect(pane.contains("price_k"), "the label column under its own name: \(pane)")
        #expect(DataPane.shortened("garden=yes", to: 8, ellipsis: "…") == "gar…=yes")
        #expect(DataPane.shortened("garden=yes", to: 10, ellipsis: "…") == "garden=yes")
        #expect(DataPane.shortened("colour=ultramarine", to: 8, ellipsis: "…") == "=ultram…")
        #expect(DataPane.shortened("area_m2_total", to: 8, ellipsis: "…") == "area_m2_total")
    }

    @Test func digitsDrawInGreyLevels() {
        let app = scriptedApp(["data digits"])
        var buffer = Buffer(width: 120, height: 40)
        _ = app.render(into: &buffer, input: InputLine(prompt: "descent> ", text: "", cursor: 0))
        var greys: Set<UInt8> = []
        for y in 1..<14 { for x in 1..<59 {
            if case .indexed(let i) = buffer[x, y].style.foreground, i >= 232 { greys.insert(i) }
        } }
        #expect(greys.count >= 8, "grey levels used: \(greys.sorted())")
    }

    @Test func misclassifiedDigitsReplaceThePreview() {
        var scenario = Self.digits
        scenario.after = ["show misclassified 8 1"]
        let app = fixtureApp(scenario)
        let text = screen(app, width: 120, height: 40)
        check(text, "digits-misclassified-120x40")
        let top = dataPane(text)[0]
        #expect(top.contains("true 8, predicted 1"))
        #expect(dataPane(text).joined().contains("#"))
    }

    @Test func digitsInMonoAt80x24() {
        check(screen(scriptedApp(["data digits"], theme: "mono"), width: 80, height: 24), "digits-mono-80x24")
    }

    @Test func reviewsAt120x40() {
        let app = fixtureApp(Scenario(fixture: "reviews", setup: ["seed 42", "data reviews", "model textcls"],
                                      training: ["train epochs=3"]))
        let text = screen(app, width: 120, height: 40)
        check(text, "reviews-textcls-120x40")
        let pane = dataPane(text).joined(separator: "\n")
        #expect(pane.contains("positive  ") && pane.contains("negative  "))
        #expect(pane.contains("the "))
    }

    @Test func sequencesAt120x40() {
        let app = scriptedApp(["seed 3", "data sequence"])
        let text = screen(app, width: 120, height: 40)
        check(text, "sequence-120x40")
        #expect(dataPane(text).joined().contains("last point: the value to predict"))
    }

    @Test func irisRowsAt120x40() {
        let text = screen(scriptedApp(["data iris"]), width: 120, height: 40)
        check(text, "iris-120x40")
        let pane = dataPane(text).joined(separator: "\n")
        #expect(pane.contains("petal wi") && pane.contains("setosa") && pane.contains("virginica"))
    }

    @Test func crossValidationOnScreen() {
        // cross-validation's folds are not adopted, so the cell is picked while recording
        let app = fixtureApp(Scenario(fixture: "iris-cv", setup: ["seed 42", "data iris", "model softmax", "optimizer adam lr=0.05"],
                                      training: ["cv k=5 epochs=40", "show misclassified versicolor virginica"]))
        let text = screen(app, width: 120, height: 40)
        check(text, "iris-cv-120x40")
        #expect(text.contains("true versicolor, predicted virginica"))
        #expect(text.contains("accuracy") && text.contains("on 150"))
    }
}

/// The lesson pane: Markdown shown as text styles, and the end of a lesson announced only once
/// its last cell has finished.
@MainActor
@Suite struct LessonPaneTests {
    @Test func markdownBecomesTextStyles() {
        let theme = Theme.builtInDefault
        let spans = LessonMarkdown.spans("**Conv2D** slides `3x3` filters ([docs](https://keras.io)) over *each* image",
                                         theme: theme, glyphs: .unicode)
        #expect(spans.map(\.text).joined() == "Conv2D slides 3x3 filters (docs) over each image")
        #expect(spans.first { $0.text == "Conv2D" }?.style.bold == true)
        #expect(spans.first { $0.text == "3x3" }?.style == theme.style("repl.input"))
        #expect(spans.first { $0.text == "each" }?.style.underline == true)
        let heading = LessonMarkdown.spans("## 3. A heading", theme: theme, glyphs: .unicode)
        #expect(heading.map(\.text).joined() == "3. A heading" && heading.first?.style.bold == true)
        #expect(LessonMarkdown.spans("- an item", theme: theme, glyphs: .unicode).map(\.text).joined() == "• an item")
        #expect(LessonMarkdown.spans("snake_case and 2 * 3 stay", theme: theme, glyphs: .unicode).map(\.text).joined()
                == "snake_case and 2 * 3 stay")
    }

    @Test func aLessonIsCompleteOnlyWhenItsLastCellIs() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-\(UUID().uuidString).md")
        try """
            # Short

            ```descent
            seed 1
            data spiral
            model mlp 16,16 act=tanh
            train epochs=3000
            ```

            That was all.
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let app = scriptedApp([])
        app.openLesson(file.path)
        app.submit("next")
        let running = screen(app, width: 120, height: 40)
        #expect(running.contains("Running: seed 1 · data spiral") && running.contains("cell 1/1 running"), "\(running)")
        #expect(!running.contains("Lesson complete.") && !running.contains("That was all."),
                "the text after the cell reads its results: not before they are there")
        app.submit("stop")
        #expect(waitUntil(seconds: testTimeout) { app.tick(); return app.runner.isIdle })
        let ended = screen(app, width: 120, height: 40)
        #expect(ended.contains("Lesson complete.") && ended.contains("That was all."))
    }

    /// A workbench with the lesson `text` open (from a temporary file, which the caller removes).
    func lessonApp(_ text: String) throws -> (WorkbenchApp, URL) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-\(UUID().uuidString).md")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let app = scriptedApp([])
        app.openLesson(file.path)
        return (app, file)
    }

    /// A lesson done stays done while the learner's own run trains, and its "more" cue offers
    /// no cell to run.
    @Test func aFinishedLessonStaysFinished() throws {
        let prose = (1...40).map { "Line \($0) of what comes next." }.joined(separator: "\n\n")
        let (app, file) = try lessonApp("# Short\n\nOne cell.\n\n```descent\nseed 1\n```\n\n\(prose)\n")
        defer { try? FileManager.default.removeItem(at: file) }
        app.submit("next")
        #expect(waitUntil(seconds: testTimeout) { app.tick(); return app.runner.isIdle })
        let done = screen(app, width: 80, height: 24)
        #expect(done.contains("Lesson complete.") && done.contains("more: F8 or F3 PgDn") && !done.contains("runs the cell"), "\(done)")
        for line in ["data spiral", "model mlp 8", "train epochs=100000"] { app.submit(line) }
        app.tick()
        let training = screen(app, width: 80, height: 24)
        #expect(training.contains("Lesson complete.") && !training.contains("The last cell is running"), "\(training)")
        app.submit("stop")
        #expect(waitUntil(seconds: testTimeout) { app.tick(); return app.runner.isIdle })
    }

    /// F8 first pages through the part of the lesson not yet on screen, then runs the cell; the
    /// last line or two come with the cell (its text stays while it runs), not for a press.
    @Test func f8PagesThroughUnseenTextFirst() throws {
        let prose = (1...60).map { "Line \($0) of a long introduction." }.joined(separator: "\n\n")
        let (app, file) = try lessonApp("# Long\n\n\(prose)\n\n```descent\nseed 1\n```\n\nAfter.\n")
        defer { try? FileManager.default.removeItem(at: file) }
        app.tick()
        var pages = 0
        _ = screen(app, width: 120, height: 40)
        while app.lessonPaging.unseen > 2 && pages < 50 {
            _ = app.handle(.function(8), input: InputLine(prompt: "", text: "", cursor: 0))
            _ = screen(app, width: 120, height: 40)
            pages += 1
        }
        #expect(pages >= 2, "a long part takes several pages")
        #expect(app.runner.lesson?.next == 0, "no cell ran while more than two lines were unseen")
        #expect(app.lessonPaging.unseen <= 2)
        _ = app.handle(.function(8), input: InputLine(prompt: "", text: "", cursor: 0))
        #expect(waitUntil(seconds: testTimeout) { app.tick(); return app.runner.isIdle })
        #expect(app.runner.lesson?.next == 1, "then F8 runs the cell")
    }
}
