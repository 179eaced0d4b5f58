import Testing
import Foundation
import TestSupport
import TerminalUI
import WorkbenchCore
@testable import WorkbenchUI
import Models

let snapshotFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")

/// A workbench driven by a script, with a frozen clock (no timings on screen) and no pacing.
@MainActor
func scriptedApp(_ lines: [String], theme: String = "default", lesson: String? = nil) -> WorkbenchApp {
    let themes = repositoryRoot.appendingPathComponent("Themes")
    let app = WorkbenchApp(themesFolder: themes, theme: (try? Theme.load(named: theme, in: themes)) ?? .builtInDefault,
                           clock: { 0 })
    app.session.frontEnd.runClock = { 0 }
    app.session.frontEnd.watchablePace = nil
    app.runner.lessonsFolder = repositoryRoot.appendingPathComponent("Notebooks")
    if let lesson { app.openLesson(repositoryRoot.appendingPathComponent(lesson).path) }
    for line in lines {
        app.submit(line)
        #expect(app.runner.runToCompletion(timeout: testTimeout), "\(line) did not finish")
        app.tick()
    }
    return app
}

@MainActor
func screen(_ app: WorkbenchApp, width: Int, height: Int, input: String = "") -> String {
    var buffer = Buffer(width: width, height: height)
    _ = app.render(into: &buffer, input: InputLine(prompt: "descent> ", text: input, cursor: input.count))
    return buffer.textDump()
}

@MainActor
@Suite(.serialized) struct ScreenSnapshotTests {
    /// Spiral, trained 300 epochs, lr lowered, three steps by hand, then the confusion matrix.
    static let spiral = Scenario(fixture: "spiral",
                                 setup: ["seed 42", "data spiral n=400 noise=0.1", "model mlp 8,8 act=tanh",
                                         "optimizer adam lr=0.02", "batch 16"],
                                 training: ["train epochs=300", "set lr 0.005", "step 3"],
                                 after: ["show confusion"])

    func check(_ text: String, _ name: String) {
        let result = Snapshot.assertMatches(text, named: name, in: snapshotFolder)
        #expect(result.matched, Comment(rawValue: result.message))
    }

    @Test func spiralAt120x40() {
        let app = fixtureApp(Self.spiral)
        let text = screen(app, width: 120, height: 40, input: "set lr 0.0")
        check(text, "spiral-confusion-120x40")
        #expect(text.contains("Data: spiral"))
        #expect(text.contains("Evaluate: confusion (val)"))
    }

    @Test func spiralAt80x24() {
        check(screen(fixtureApp(Self.spiral), width: 80, height: 24), "spiral-confusion-80x24")
    }

    @Test func decisionBoundaryInMono() {
        var scenario = Self.spiral
        scenario.after = ["show boundary"]
        check(screen(fixtureApp(scenario, theme: "mono"), width: 120, height: 40), "spiral-boundary-mono-120x40")
    }

    @Test func regressionFit() {
        let app = fixtureApp(Scenario(fixture: "linear", setup: ["seed 1", "data linear n=100", "model linear", "optimizer gd lr=0.1"],
                                      training: ["train epochs=60"]))
        check(screen(app, width: 120, height: 40), "linear-fit-120x40")
    }

    @Test func welcomeLessonAtStart() {
        let app = scriptedApp([], lesson: "Notebooks/welcome.md")
        check(screen(app, width: 120, height: 40), "welcome-start-120x40")
    }

    /// The idle status line says what comes next: F8 only while a lesson has a cell left to run,
    /// a model before `train`.
    @Test func theIdleHintOffersF8OnlyWithALessonOpen() {
        let withLesson = screen(scriptedApp([], lesson: "Notebooks/welcome.md"), width: 120, height: 40)
        #expect(withLesson.contains("start with `data spiral`, or F8 for the lesson"), "\(withLesson)")
        let without = screen(scriptedApp([]), width: 120, height: 40)
        #expect(without.contains("start with `data spiral`, or `lessons` to pick a lesson") && !without.contains("F8 for the lesson"),
                "\(without)")
        let dataOnly = screen(scriptedApp(["data iris"]), width: 120, height: 40)
        #expect(dataOnly.contains("next a model (`model mlp 8`), then `train`"), "\(dataOnly)")
        let ready = screen(scriptedApp(["data iris", "model mlp 8"]), width: 120, height: 40)
        #expect(ready.contains("`train` starts a run"), "\(ready)")
    }

    /// `help` is laid out for the REPL it is read in: zoomed (F4), the whole width.
    @Test func helpUsesTheZoomedREPLsWidth() {
        let app = scriptedApp([], lesson: "Notebooks/welcome.md")
        _ = screen(app, width: 80, height: 24)
        app.submit("help train")
        let narrow = app.session.frontEnd.textWidth
        _ = app.handle(.function(4), input: InputLine(prompt: "", text: "", cursor: 0))
        _ = screen(app, width: 80, height: 24)
        app.submit("help train")
        #expect(app.session.frontEnd.textWidth > narrow && app.session.frontEnd.textWidth >= 76, "\(narrow) → \(app.session.frontEnd.textWidth)")
        let text = screen(app, width: 80, height: 24)
        #expect(text.contains("patience=N   early stopping: end after this many epochs without a better"), "\(text)")
    }

    /// At 80×24 a lesson comes first: the lesson pane takes the right column's height, the REPL
    /// the lower left, the loss chart and the evaluation pane the top; the data and model panes
    /// take the evaluation pane's place while focused (F2).
    @Test func aLessonAt80x24ComesFirst() {
        let app = scriptedApp([], lesson: "Notebooks/welcome.md")
        app.submit("next")
        #expect(waitUntil(seconds: testTimeout) { app.tick(); return app.runner.isIdle })
        check(screen(app, width: 80, height: 24), "welcome-cell1-80x24")
        _ = app.handle(.function(2), input: InputLine(prompt: "", text: "", cursor: 0))
        #expect(app.focus == .data)
        let data = screen(app, width: 80, height: 24)
        #expect(data.contains("Data") && !data.contains("Evaluate"), "\(data)")
        let layout = ScreenLayout(width: 80, height: 24, lessonOpen: true, zoomed: nil)
        #expect(layout.panes[.lesson]?.height == 23 && (layout.panes[.repl]?.width ?? 0) >= 46 && (layout.panes[.repl]?.height ?? 0) >= 12)
    }

    /// At a lesson's end the pane says so and shows the lesson's own last words, which name the
    /// next lesson (it once named lesson 01 whatever lesson had ended).
    @Test func aFinishedLessonPointsToItsOwnNextLesson() {
        let app = scriptedApp([], lesson: "Notebooks/01-linear-regression.md")
        for _ in 0..<20 where app.runner.lesson.map({ $0.next < $0.notebook.cells.count }) ?? false {
            app.submit("next")
            #expect(waitUntil(seconds: testTimeout) { app.tick(); return app.runner.isIdle }, "a cell did not finish")
        }
        let text = screen(app, width: 120, height: 40)
        #expect(text.contains("Lesson complete."))
        #expect(text.contains("lesson 2, the learning rate"), "\(text)")
        #expect(!text.contains("lesson 1,"), "no pointer back to the lesson just finished")
    }

    /// A run stopped mid-epoch: the status bar shows the final evaluation the summary printed,
    /// not the last finished epoch's figure.
    @Test func aStoppedRunsStatusShowsItsFinalEvaluation() throws {
        let app = WorkbenchApp(themesFolder: nil)   // a real clock: the run is paced
        for line in ["seed 1", "data xor", "model mlp 8", "set pace 300"] {
            app.submit(line)
            #expect(app.runner.runToCompletion(timeout: testTimeout), "\(line) did not finish")
        }
        app.submit("train epochs=200")
        #expect(waitUntil(seconds: 10) { app.tick(); return (app.session.display.currentRun?.updates ?? 0) >= 45 })
        app.submit("stop")
        #expect(waitUntil(seconds: testTimeout) { app.tick(); return !app.session.isBusy }, "the run did not stop")
        app.tick()
        let run = try #require(app.session.display.currentRun)
        let final = try #require(run.validationEvaluation?.headline)
        let bottom = screen(app, width: 120, height: 40).split(separator: "\n").last.map(String.init) ?? ""
        #expect(run.status == .stopped && bottom.contains("stopped"))
        #expect(bottom.contains("val \(final.name) \(readable(Float(final.value), digits: 3))"), "\(bottom)")
    }

    /// After the set-up changes, no pane shows the old run as if it were current: the loss chart
    /// and the evaluation say there is no run for this set-up, and the status bar is idle.
    @Test func panesFollowTheSetUp() {
        let app = scriptedApp(["seed 1", "data xor", "model mlp 8", "optimizer momentum lr=0.1", "train epochs=3",
                               "data digits"])
        let text = screen(app, width: 120, height: 40)
        #expect(text.contains("no run for this set-up yet"), "\(text)")
        let bottom = text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(bottom.contains("idle") && !bottom.contains("momentum") && !bottom.contains("run 1"), "\(bottom)")
    }

    /// Ctrl-C on a run stepped by hand stops it (it used to only say "press Ctrl-C again to quit").
    @Test func ctrlCStopsASteppedRun() {
        let app = scriptedApp(["data xor", "model mlp 8", "step 3"])
        #expect(app.session.display.hasSteppedRun)
        // While stepping, the chart says its points are batch losses, and the step says both.
        let stepping = screen(app, width: 120, height: 40)
        #expect(stepping.contains("Loss batch") && stepping.contains("a point per batch"), "\(stepping)")
        #expect(app.output.contains { $0.text.contains("this batch's loss") && $0.text.contains("whole training set") })
        #expect(!app.interrupt(input: InputLine(prompt: "descent> ", text: "", cursor: 0)), "does not quit")
        app.tick()
        #expect(app.session.display.currentRun?.status == .stopped && !app.session.display.hasSteppedRun)
        #expect(app.output.contains { $0.text.contains("run 1 stopped: 0 epochs, 3 updates") })
    }

    /// `clear` and Ctrl-L empty the REPL and nothing else; the REPL's title offers F4 and PgUp
    /// only where they act (the REPL focused, not zoomed).
    @Test func clearEmptiesTheREPLAndTheTitleOffersOnlyKeysThatAct() {
        let app = scriptedApp(["data iris", "model mlp 8", "show data", "help show", "runs"])
        let keys = InputLine(prompt: "", text: "", cursor: 0)
        let before = screen(app, width: 80, height: 24)
        #expect(before.contains("PgUp: earlier"), "\(before)")
        _ = app.handle(.function(2), input: keys)   // the data pane focused: PgUp scrolls it
        #expect(!screen(app, width: 80, height: 24).contains("PgUp: earlier"))
        _ = app.handle(.function(3), input: keys)
        _ = app.handle(.function(4), input: keys)   // zoomed: F4 goes back, it shows no more rows
        #expect(!screen(app, width: 80, height: 24).contains("F4: whole rows"))
        _ = app.handle(.function(4), input: keys)
        app.submit("clear")
        #expect(app.output.isEmpty && app.session.display.currentRun == nil && app.session.display.data != nil)
        app.submit("help clear")
        #expect(!app.output.isEmpty)
        #expect(app.handle(.control("l"), input: keys) && app.output.isEmpty)
    }

    /// In a narrow loss pane every racer keeps a place in the legend, and the race's table
    /// keeps each racer's validation figure beside its optimizer.
    @Test func aNarrowRaceLegendKeepsEveryRacer() {
        let app = scriptedApp(["seed 1", "data xor", "model mlp 4", "compare sgd momentum adam epochs=2"])
        let text = screen(app, width: 80, height: 24)
        let title = text.split(separator: "\n").first { $0.contains("Loss") }.map(String.init) ?? ""
        #expect(title.contains("sgd") && title.contains("mo") && title.contains("ad"), "\(text)")
        let header = app.output.first { $0.kind == .table && $0.text.hasPrefix("run") }?.text ?? ""
        #expect(header.range(of: "val acc")!.lowerBound < header.range(of: "epochs")!.lowerBound, "\(header)")
        // The race table is cut at this width: the REPL's title keeps the key that shows it whole.
        let repl = text.split(separator: "\n").first { $0.contains("REPL") }.map(String.init) ?? ""
        #expect(repl.contains("F4: whole rows"), "\(text)")
    }

    /// A reopened run is named in the status line as `runs` names it (`@1`), and its panes show
    /// it: its confusion matrix, and a loss pane that says where its curve is.
    @Test func aReopenedRunIsShownAsTheKeptOne() {
        let app = scriptedApp([])
        let store = NSTemporaryDirectory() + "descent-ui-store-\(UUID().uuidString)/runs.sqlite"
        #expect(app.session.keepRuns(at: store, build: "test"))
        defer { app.session.shutDown() }
        for line in ["seed 2", "data iris", "model mlp 4", "train epochs=2", "reset", "reopen @1"] {
            app.submit(line)
            #expect(app.runner.runToCompletion(timeout: testTimeout))
            app.tick()
        }
        let text = screen(app, width: 120, height: 40)
        #expect(text.contains("run 2 @1"), "\(text)")
        #expect(text.contains("@1 reopened at epoch 2") && text.contains("true\\pred"), "\(text)")
    }

    /// The workbench asks for every frame only while something moves: a run training.
    @Test func onlyAMovingScreenAsksForEveryFrame() {
        let app = scriptedApp(["data xor", "model mlp 4"])
        #expect(!app.isAnimating)
        app.submit("train epochs=100000")
        #expect(app.isAnimating)
        app.submit("stop")
        #expect(app.runner.runToCompletion(timeout: testTimeout))
        app.tick()
        #expect(!app.isAnimating)
    }

    /// A lesson's code keeps its lines: one too long for the pane is cut with a mark (a wrapped
    /// line pasted into Python is invalid), and the title offers F4, which shows it whole.
    @Test func aLessonsCodeLinesAreCutNotWrapped() throws {
        let path = NSTemporaryDirectory() + "code-\(UUID().uuidString).md"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let code = "    client = OpenAI(base_url=\"http://127.0.0.1:8080/v1\", api_key=\"unused\")  # the served GPT"
        try "# Code\n\nCall it:\n\n\(code)\n\n```descent\ndata xor\n```\n".write(toFile: path, atomically: true, encoding: .utf8)
        let app = scriptedApp([])
        app.openLesson(path)
        let text = screen(app, width: 120, height: 40)
        #expect(text.contains("F4: whole lines · cell 1/1 · F8") && text.contains("    client = OpenAI(base_url="), "\(text)")
        #expect(!text.contains("# the served GPT"), "cut, not wrapped onto the next line")
        app.focus = .lesson
        _ = app.handle(.function(4), input: InputLine(prompt: "", text: "", cursor: 0))
        #expect(screen(app, width: 120, height: 40).contains(String(code.dropFirst(4))))
    }

    @Test func keymapOverlayAndTooSmall() {
        let app = scriptedApp([])
        _ = app.handle(.function(1), input: InputLine(prompt: "", text: "", cursor: 0))
        check(screen(app, width: 80, height: 24), "keymap-80x24")
        let small = screen(app, width: 50, height: 12)
        #expect(small.contains("70") && small.contains("20"))
    }
}
