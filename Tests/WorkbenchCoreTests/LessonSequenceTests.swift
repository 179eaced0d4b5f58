import Testing
import Foundation
import TestSupport
import CommandLanguage
@testable import WorkbenchCore
import Models
import Serving

/// Lessons followed one after another in one live session, as the welcome lesson invites
/// (issue 24): each refers to its own runs, opens on fresh panes, and leaves the learner's own
/// set-up visible and resettable.
@Suite struct LessonSequenceTests {
    /// Opens lesson `number` and runs every cell with `next`, as F8 does.
    static func follow(_ number: Int, in runner: ScriptRunner) {
        runner.submit(typed: "lesson \(number)")
        let cells = runner.lesson?.notebook.cells.count ?? 0
        for _ in 0..<cells {
            runner.submit(typed: "next")
            #expect(runner.runToCompletion(timeout: testTimeout))
        }
    }

    static func session() -> (Session, ScriptRunner, Transcript) {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        // As a learner's workbench has, a run store (lesson 13 tags and reopens runs).
        session.keepRuns(at: RunStoreSessionTests.store(), build: "test build")
        let runner = ScriptRunner(session: session, stopOnFailure: false)
        runner.lessonsFolder = CurriculumTests.folder
        return (session, runner, transcript)
    }

    /// F8 pressed again while a cell still runs queues the next cell after it, never before
    /// the rest of it (a learner saw cell 9 of lesson 15 run before cell 8's `serve`).
    @Test func aSecondNextWaitsForTheCellBeforeIt() {
        let (session, runner, t) = Self.session()
        defer { session.shutDown() }
        runner.submit(typed: "lesson 15")
        runner.submit(typed: "next")
        runner.submit(typed: "next")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(runner.failures.isEmpty, "\(runner.failures)")
        let lines = t.lines.map(\.text)
        let checked = lines.firstIndex { $0.hasPrefix("✓ val.acc > 0.9") }, predicted = lines.firstIndex { $0.hasPrefix("predicted ") }
        #expect(checked != nil && predicted != nil && checked! < predicted!, "\(lines)")
    }

    /// Lesson 2 after the welcome lesson: its `compare` overlays its own four runs, by name,
    /// not the welcome's xor run; `runs last 4` lists the same four.
    @Test func lessonTwoComparesItsOwnRunsAfterTheWelcome() {
        let (session, runner, t) = Self.session()
        Self.follow(0, in: runner)
        let welcomeRuns = session.display.records.count
        #expect(welcomeRuns >= 1)
        Self.follow(2, in: runner)
        #expect(runner.failures.isEmpty, "\(runner.failures)")
        let named = session.display.records.compactMap(\.name)
        #expect(Array(named.prefix(4)) == ["small", "right", "overshoot", "diverge"], "\(named)")
        let compared = t.lines.first { $0.text.hasPrefix("the loss chart overlays runs") }?.text ?? ""
        let first = welcomeRuns + 1
        #expect(compared == "the loss chart overlays runs \(first) small, \(first + 1) right, \(first + 2) overshoot, \(first + 3) diverge",
                "\(compared)")
        #expect(!t.text.contains("compare: "), "no compare error: \(t.errors)")
    }

    /// Opening a lesson puts every view back: no `lr find` sweep, overlay or selection from the
    /// lesson before, and the screen is asked for its default panes.
    @Test func openingALessonResetsEveryPane() {
        let (session, runner, _) = Self.session()
        runner.enqueue(script: "seed 7\ndata linear n=200 noise=0.1\nmodel linear\nlr find\ntrain epochs=3\ntrain epochs=3\ncompare 1 2", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(session.display.views.lrFind != nil && session.display.views.overlay != nil)
        let serial = session.display.views.request?.serial ?? 0
        runner.submit(typed: "lesson 7")
        let views = session.display.views
        #expect(views.lrFind == nil && views.overlay == nil && views.selection == nil && views.rewound == nil)
        #expect(views.request?.view == .fresh && (views.request?.serial ?? 0) > serial)
    }

    /// A lesson's set-up stays after its last cell while the learner tries variants of its data
    /// (as lessons suggest), and says so once; the learner's own data of another kind starts
    /// from a fresh set-up, said in one line; `reset` starts afresh at any time.
    @Test func theLessonsSetUpStaysWithTheLesson() {
        let (session, runner, t) = Self.session()
        runner.enqueue(script: "seed 2\ndata words\nmodel gpt\noptimizer adam lr=0.002\nbatch 64", file: "16-inside-a-big-model.md")
        #expect(runner.runToCompletion(timeout: testTimeout))
        runner.submit(typed: "data words length=8")
        #expect(t.lines.contains { $0.text == "still set from 16-inside-a-big-model.md: seed 2 · optimizer adam lr=0.002 · batch 64; `reset` starts from a fresh set-up" },
                "\(t.text)")
        #expect(session.display.setup.optimizer.learningRate == 0.002, "a variant of the lesson's data keeps its set-up")
        runner.enqueue(script: "data words", file: "16-inside-a-big-model.md")
        #expect(runner.runToCompletion(timeout: testTimeout))
        runner.submit(typed: "data circle")
        #expect(t.lines.contains { $0.text == "your own data after 16-inside-a-big-model.md: its set-up stays with it (seed 2 · optimizer adam lr=0.002 · batch 64); "
                                    + "yours starts fresh: seed 42, optimizer adam lr=0.01, batch 32" }, "\(t.text)")
        #expect(session.display.setup.optimizer == Setup.fresh.optimizer && session.display.setup.batch == Setup.fresh.batch
                && session.display.setup.seed == 42 && session.display.setup.model == nil)
        let count = t.lines.count
        runner.submit(typed: "model mlp 6")
        #expect(!t.lines.dropFirst(count).contains { $0.text.hasPrefix("still set from") })
        // A bad data command leaves the lesson's set-up as it was.
        runner.enqueue(script: "seed 2\ndata words\noptimizer adam lr=0.002", file: "16-inside-a-big-model.md")
        #expect(runner.runToCompletion(timeout: testTimeout))
        runner.submit(typed: "data csv /nonexistent.csv label=y")
        #expect(session.display.setup.optimizer.learningRate == 0.002 && session.display.setup.seed == 2)
        runner.submit(typed: "reset")
        #expect(session.display.setup == .fresh && session.display.data == nil)
        #expect(t.lines.last?.text.hasPrefix("reset starts from a fresh set-up: seed 42, no data or model, optimizer adam lr=0.01, batch 32") == true,
                "\(t.lines.last?.text ?? "")")
    }

    /// Run names: given at `train name=`, found by `compare`, `runs` and `expect run=`; a name
    /// that would read as something else is refused before anything changes.
    @Test func runsAreFoundByName() throws {
        let (session, runner, t) = Self.session()
        runner.enqueue(script: "seed 1\ndata xor n=100\nmodel mlp 4\ntrain epochs=2 name=first\ntrain epochs=2", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(session.display.records.map(\.name) == ["first", nil])
        for (line, error) in [("compare first nosuch", "compare: no run is named nosuch; named runs: first"),
                              ("compare last 5", "compare last 5: there are only 2 runs in this session; kept runs of earlier ones are @N (`runs` lists them)"),
                              ("compare adam first", "compare: race optimizers (sgd, momentum, adam …) or overlay runs (names, numbers, `last N`), not both"),
                              ("train name=adam", "train name=adam: `compare adam` would mean something else; choose another name"),
                              ("train name=last", "train name=last: `compare last` would mean something else; choose another name")] {
            runner.submit(typed: line)
            #expect(t.errors.last == error, "\(line): \(t.errors.last ?? "")")
        }
        #expect(session.display.records.count == 2, "a refused name starts no run")
        runner.submit(typed: "compare first 2")
        #expect(session.display.views.overlay?.runs == [1, 2])
        runner.submit(typed: "runs last 1")
        #expect(t.lines.suffix(2).first?.text.hasPrefix("@2 (run 2) ") == true, "\(t.lines.suffix(2).map(\.text))")
        let first = try #require(session.display.records.first?.trainEvaluation?.loss)
        runner.submit(typed: "expect train.loss < 100 run=first")
        #expect(t.lines.last?.text == "✓ train.loss < 100 run=first (train.loss = \(fmt(first)))", "\(t.lines.last?.text ?? "")")
        #expect(t.text.contains("run 1 first: mlp 4"), "the run line says its name")
    }

    /// `load` keeps the learner's pace, shows "loaded", and a run trained on from it counts only
    /// its own updates in its rate.
    @Test func loadKeepsThePaceAndSaysLoaded() throws {
        let dir = SaveLoadTests.folder()
        let (_, _, saved) = scriptedSession("seed 3\ndata iris\nmodel mlp 8\nset pace max\ntrain epochs=5\nsave \(dir)/m")
        #expect(saved.errors.isEmpty, "\(saved.errors)")
        let (session, runner, t) = scriptedSession("load \(dir)/m")
        #expect(session.display.setup.pace == nil, "the file's pace stays in the file")
        #expect(session.display.currentRun?.status == .loaded)
        #expect(session.display.currentRun?.loadedUpdates == 20)
        runner.enqueue(script: "train epochs=2", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        let record = try #require(session.display.currentRun)
        #expect(record.updates == 28 && record.loadedUpdates == 20)
        _ = t
    }

    /// The learner's own spreadsheet through `data csv`: semicolons and decimal commas read and
    /// said, a quoted label name, `missing=` — and the data line's command makes the same data
    /// again (what `record` and `save` keep).
    @Test func theLearnersSpreadsheetThroughDataCSV() throws {
        let text = "\"sepal length\";width;\"the label\"\n" + (0..<30).map { i in
            "\(4 + i % 5),\(i % 3);\(i % 4),5;\(i % 2 == 0 ? "a" : "b")" }.joined(separator: "\n") + "\n;1,5;a\n"
        let folder = SaveLoadTests.folder()
        let path = folder + "/mine.csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let (session, _, t) = scriptedSession("data csv \(path) label=\"the label\" missing=drop")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.text.contains("read as semicolon-separated, numbers with decimal commas"), "\(t.text)")
        #expect(t.text.contains("missing=drop: 1 of 31 rows left out for a missing cell (line 32)"), "\(t.text)")
        #expect(session.display.data?.full.count == 30)
        let spec = try #require(session.display.setup.data)
        #expect(spec.description == "data csv \(path) label=\"the label\" missing=drop")
        let (again, _, t2) = scriptedSession(spec.description)
        #expect(t2.errors.isEmpty && again.display.data?.full.features.scalars == session.display.data?.full.features.scalars)
        let (_, _, t3) = scriptedSession("data csv \(path) label=\"the label\"")
        #expect(t3.errors.first?.contains("missing=drop leaves out rows with a missing cell") == true, "\(t3.errors)")
    }

    /// A lesson's relative file names land in the learner's lesson folder (said in the line),
    /// and its next cell loads from there; nothing goes to a fixed shared path.
    @Test func aLessonWritesIntoTheLearnersFolder() throws {
        let folder = URL(fileURLWithPath: SaveLoadTests.folder()).appendingPathComponent("lessons")
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        session.frontEnd.lessonFiles = folder
        let runner = ScriptRunner(session: session)
        runner.enqueue(script: "seed 2\ndata iris\nmodel mlp 8\ntrain epochs=2\nsave iris-model\nload iris-model\nexport keras iris-model-keras.py",
                       file: "/nowhere/15-model-as-a-service.md")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(transcript.errors.isEmpty, "\(transcript.errors)")
        for name in ["iris-model.safetensors", "iris-model.json", "iris-model-keras.py"] {
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path), "\(name)")
        }
        #expect(transcript.text.contains("saved \(folder.path)/iris-model.safetensors"), "\(transcript.text)")
        #expect(transcript.text.contains("loaded \(folder.path)/iris-model.safetensors"))
        #expect(LessonFiles.defaultFolder(environment: ["HOME": "/home/ada"]).path == "/home/ada/.local/share/descent/lessons")
        #expect(LessonFiles.defaultFolder(environment: ["HOME": "/home/ada", "XDG_DATA_HOME": "/data"]).path == "/data/descent/lessons")
    }

    /// The welcome lesson's path through every lesson, in one session, cell by cell as F8 runs
    /// them: each lesson opens on a fresh set-up and fresh views, every check passes, and every
    /// overlay (`compare`, a race) shows only runs the lesson itself made.
    @Test func everyLessonInOneSession() {
        let (session, runner, t) = Self.session()
        session.frontEnd.makeModelService = { ModelServer(ownThreads: true) }
        session.frontEnd.lessonFiles = URL(fileURLWithPath: SaveLoadTests.folder())
        for lesson in Curriculum(folder: CurriculumTests.folder).lessons {
            runner.submit(typed: "lesson \(lesson.number)")
            let firstRun = session.display.records.count + 1
            #expect(session.display.views.lrFind == nil && session.display.views.overlay == nil
                    && session.display.views.selection == nil && session.display.views.rewound == nil, "lesson \(lesson.number) opens on fresh views")
            #expect(session.display.setup == .fresh && session.display.data == nil, "lesson \(lesson.number) opens on a fresh set-up")
            let cells = runner.lesson?.notebook.cells.count ?? 0
            for cell in 0..<cells {
                runner.submit(typed: "next")
                #expect(runner.runToCompletion(timeout: testTimeout), "lesson \(lesson.number) cell \(cell + 1)")
                if let overlay = session.display.views.overlay {
                    #expect(overlay.runs.allSatisfy { $0 >= firstRun }, "lesson \(lesson.number) cell \(cell + 1) overlays \(overlay.runs), before run \(firstRun)")
                }
            }
        }
        #expect(runner.failures.isEmpty, "\(runner.failures)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.lines.filter { $0.text.hasPrefix("✓") }.count >= 40, "the lessons' checks ran")
        session.shutDown()
    }
}
