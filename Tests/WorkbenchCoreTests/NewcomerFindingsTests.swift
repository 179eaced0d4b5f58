import Testing
import Foundation
import TestSupport
import CommandLanguage
@testable import WorkbenchCore
import Models

/// What a newcomer tripped on in 40 minutes in tmux (issue 10, §6), one test each.
@Suite struct NewcomerFindingsTests {
    /// After a divergence the weights back had a sane loss, the message names the rate they were
    /// trained at, promises nothing, and training goes on from there at that rate.
    @Test func divergenceRecoveryIsNotADeadEnd() {
        let (session, _, t) = scriptedSession("""
            seed 1
            data moons
            optimizer momentum lr=0.1 momentum=0.9
            model mlp 8 act=tanh
            step 2000
            set lr 5
            step 300
            set lr 50000
            step 300
            """)
        let line = t.lines.first { $0.kind == .warning && $0.text.contains("diverged at update") }?.text ?? ""
        #expect(line.contains("The weights of update 2,300 are back") && line.contains("trained at lr 5"), "\(line)")
        #expect(line.contains("`set lr 5` goes back to the rate that worked, then `step` or `train`"))
        #expect(!line.contains("should converge"))
        #expect(session.execute(line: "set lr 0.1") && session.execute(line: "step 500"))
        #expect(!t.text.contains("diverged at update 2,8"), "it trains on from the weights that came back")
        #expect((session.display.currentRun?.status) != .diverged || t.lines.filter { $0.text.contains("diverged") }.count == 1)
    }

    /// A run a notebook started that diverges ends with the rate that had worked, and says so.
    @Test func aScriptedDivergenceEndsAndNamesTheRateThatWorked() {
        let (session, _, t) = scriptedSession("data linear\nmodel linear\noptimizer gd lr=5\ntrain epochs=200")
        #expect(session.display.records[0].status == .diverged && !session.isBusy)
        let line = t.lines.first { $0.kind == .warning }?.text ?? ""
        #expect(line.contains("diverged at update") && line.contains("The run ends here"), "\(line)")
        #expect(!line.contains("should converge"))
    }

    /// A lesson starts from a fresh set-up and says so; `set` changes a run, not the next set-up.
    @Test func settingsDoNotCarryOverSilently() throws {
        let (session, runner, t) = scriptedSession("""
            seed 7
            data xor
            model mlp 8
            optimizer adam lr=0.05
            set pace max
            train epochs=2
            set lr 0.5
            """)
        #expect(session.display.setup.optimizer.learningRate == 0.05, "`set lr` on run 1 leaves the next run's rate alone")
        #expect(t.text.contains("(run 1 only: new runs take the set-up's `optimizer … lr=`)"))
        runner.open(Notebook(parsing: "# A lesson\n\n```descent\nseed 1\n```\n", fileName: "lesson.md"))
        #expect(session.display.setup == .fresh && session.display.data == nil && session.display.currentRun == nil)
        #expect(t.text.contains("lesson A lesson starts from a fresh set-up: seed 42, no data or model, optimizer adam lr=0.01, batch 32"))
        #expect(session.display.records.count == 1, "earlier runs are kept")
        let help = try #require(Help.text(for: "set"))
        #expect(help.contains("It never changes later runs"))
    }

    /// Types `before`, then `recorded` between `record` and `record stop`; the session, the
    /// notebook written and its path (the file is removed once read).
    static func recording(before: [String], recorded: [String]) throws -> (Session, String, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-record-\(UUID().uuidString).md").path
        let session = Session()
        let runner = ScriptRunner(session: session)
        for line in before + ["record \(path)"] + recorded + ["record stop"] {
            runner.submit(typed: line)
            #expect(runner.runToCompletion(timeout: testTimeout))
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: path)
        return (session, text, path)
    }

    /// A recording starts with the set-up in effect, so it replays on its own, to the same losses.
    @Test func aRecordingStartsWithTheSetUpAndReplays() throws {
        let (session, text, path) = try Self.recording(before: ["seed 3", "data moons n=200", "model mlp 8,8 act=tanh",
                                                                "optimizer rmsprop lr=0.02", "batch 16"],
                                                       recorded: ["train epochs=5"])
        #expect(text.contains("""
            ```descent
            # the set-up in effect when recording started
            seed 3
            data moons n=200
            model mlp 8,8 act=tanh
            optimizer rmsprop lr=0.02
            batch 16
            ```
            """), "\(text)")
        let replayed = Session()
        let again = ScriptRunner(session: replayed)
        again.enqueue(notebook: Notebook(parsing: text, fileName: path))
        #expect(again.runToCompletion(timeout: testTimeout) && again.failures.isEmpty)
        #expect(replayed.display.records.first?.epochHistory.map(\.trainLoss.bitPattern)
                == session.display.records.first?.epochHistory.map(\.trainLoss.bitPattern))
    }

    /// A recording's first cell holds only the set-up the recorded commands use: data and a
    /// model typed right after `record` replace the recorded-from ones (and the model its loss).
    @Test func aRecordingsFirstCellHoldsOnlyWhatItUses() throws {
        let (_, text, path) = try Self.recording(before: ["seed 2", "data words", "model gpt", "loss ce", "optimizer adam lr=0.002", "batch 64"],
                                                 recorded: ["data circle", "model mlp 6", "train epochs=2"])
        #expect(text.contains("""
            ```descent
            # the set-up in effect when recording started
            seed 2
            optimizer adam lr=0.002
            batch 64
            ```
            """), "\(text)")
        #expect(!text.contains("data words") && !text.contains("model gpt") && !text.contains("loss ce"))
        let again = ScriptRunner(session: Session())
        again.enqueue(notebook: Notebook(parsing: text, fileName: path))
        #expect(again.runToCompletion(timeout: testTimeout) && again.failures.isEmpty)
    }

    /// A regression target in grams is standardised for training, and the metrics come back in
    /// grams: it learns (it used to stall at loss 6856, R² −0.41).
    @Test func aRegressionTargetInItsOwnUnitsIsLearned() throws {
        var lines = ["size,colour,weight"]
        var rng = SplitMix64(seed: 4)
        for i in 0..<200 {
            let size = Double(rng.next() % 1000) / 100
            let noise = Double(rng.next() % 1000) / 100 - 5
            lines.append("\(size),\(i % 2 == 0 ? "red" : "green"),\(150 + 12 * size + noise)")
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fruit-\(getpid()).csv").path
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (session, runner, t) = scriptedSession("data csv \(path) label=weight\nmodel mlp 8\ntrain epochs=100\nexpect val.r2 > 0.9")
        #expect(runner.failures.isEmpty, "\(t.errors)")
        #expect(t.text.contains("features and target standardised on the training split"))
        let mae = try #require(session.display.records.first?.validationEvaluation?.metrics["mae"])
        #expect(mae < 5, "the MAE is in grams, about the noise: \(mae)")
    }

    /// After `step`, `expect` answers with the stepped run's weights now.
    @Test func aSteppedRunAnswersExpect() {
        let (_, runner, t) = scriptedSession("data xor\nmodel mlp 8\nstep 20\nexpect loss < 100\nexpect train.loss < 100\nexpect val.acc > 0")
        #expect(runner.failures.isEmpty, "\(t.errors)")
    }

    /// `stop` (and Ctrl-C) end a run stepped by hand, as they end a training one.
    @Test func stopEndsASteppedRun() {
        let (session, runner, t) = scriptedSession("data xor\nmodel mlp 8\nstep 5\nstop")
        #expect(runner.failures.isEmpty, "\(t.errors)")
        #expect(session.display.currentRun?.status == .stopped && !session.display.hasSteppedRun)
        #expect(t.text.contains("run 1 stopped: 0 epochs, 5 updates"))
    }

    /// `show misclassified worst` picks the cell: lessons need not name one a CPU may not fill.
    @Test func theWorstCellIsPickedForTheLearner() {
        let (_, runner, t) = scriptedSession("seed 2\ndata blobs k=3 noise=1.5\nmodel softmax\ntrain epochs=3\nshow misclassified worst")
        #expect(runner.failures.isEmpty, "\(t.errors)")
        #expect(t.text.contains("predicted") && t.text.contains("validation samples"), "\(t.text)")
    }
}

/// What a newcomer tripped on in the sixth trial (2026-12-07), one test each.
@Suite struct NewcomerFindingsSixthTrialTests {
    /// `show weights` names its rows and columns: features, the previous layer's units, classes.
    @Test func weightsSayWhatTheirRowsAndColumnsAre() {
        let (_, runner, t) = scriptedSession("seed 1\ndata iris\nmodel mlp 4\ntrain epochs=2\nshow weights")
        #expect(runner.failures.isEmpty, "\(t.errors)")
        let lines = t.lines.map(\.text)
        #expect(lines.contains { $0.contains("unit 1") && $0.contains("unit 4") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("sepal length ") } && lines.contains { $0.hasPrefix("petal width ") })
        #expect(lines.contains { $0.contains("setosa") && $0.contains("versicolor") && $0.contains("virginica") })
        #expect(lines.contains { $0.hasPrefix("dense1 unit 4 ") })
    }

    /// `show fit` numbers samples as every other view does: #N, the row in the data set.
    @Test func theFitNumbersSamplesByTheirRow() throws {
        let (session, runner, t) = scriptedSession("seed 1\ndata linear n=100\nmodel linear\ntrain epochs=2\nshow fit")
        #expect(runner.failures.isEmpty, "\(t.errors)")
        let first = try #require(session.bench.data?.validationRows.first)
        #expect(t.lines.contains { $0.text.hasPrefix("#\(first + 1) ") }, "\(t.text)")
        #expect(!t.lines.contains { $0.text.hasPrefix("0 ") })
    }

    /// A CSV's category reads as its value in `show misclassified`, not as one-hot columns.
    @Test func misclassifiedRowsReadAsTheFileHasThem() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plants-\(UUID().uuidString).csv").path
        var lines = ["height,colour,species"]
        for i in 0..<60 { lines.append("\(i % 7),\(["Green", "red"][i % 2]),\(["fir", "oak", "ash"][i % 3])") }
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (_, _, t) = scriptedSession("seed 1\ndata csv \(path) label=species\nmodel mlp 4\ntrain epochs=1\nshow misclassified worst\n"
                                        + "predict 3 green")
        let header = t.lines.first { $0.text.hasPrefix("#") && $0.text.contains("height") }?.text ?? ""
        #expect(header.contains("colour") && !header.contains("colour="), "\(t.text)")
        #expect(t.lines.contains { $0.text.hasPrefix("#") && ($0.text.hasSuffix("Green") || $0.text.hasSuffix("red")) })
        #expect(t.errors.contains { $0.contains("got \"green\" (values are exact: \"Green\")") }, "\(t.errors)")
    }

    /// Two runs of xor, `first` and `second`, kept in a store of their own; then `last`.
    static func twoKeptRuns(then last: String) -> (Session, ScriptRunner, Transcript) {
        let (session, runner, t) = RunStoreSessionTests.session(RunStoreSessionTests.store())
        RunStoreSessionTests.type(["data xor", "model mlp 4", "train epochs=1 name=first", "train epochs=1 name=second", last],
                                  in: runner)
        #expect(runner.failures.isEmpty, "\(t.errors)")
        return (session, runner, t)
    }

    /// `runs last N` lists the latest first, as `runs` does.
    @Test func runsLastListsTheLatestFirst() {
        let (session, _, t) = Self.twoKeptRuns(then: "runs last 2")
        defer { session.shutDown() }
        let listed = t.lines.filter { $0.kind == .table }.map(\.text).filter { $0.hasPrefix("@") }
        #expect(listed.count == 2 && listed[0].contains("second") && listed[1].contains("first"), "\(listed)")
    }

    /// `compare @N last`, as the `runs` footer offers it: `last` alone is the latest run.
    @Test func lastAloneIsTheLatestRun() {
        let (session, _, t) = Self.twoKeptRuns(then: "compare @1 last")
        defer { session.shutDown() }
        #expect(Set(session.display.shownRuns.map(\.id)) == [1, 2], "\(t.text)")
    }

    /// With a lesson open, a relative file typed at the REPL that is not in the current folder
    /// is found beside the lesson or its folder (lesson 14's `Notebooks/data/flats.csv`).
    @Test func aTypedFileIsFoundBesideTheOpenLesson() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-\(UUID().uuidString)")
        let lessons = folder.appendingPathComponent("Notebooks")
        try FileManager.default.createDirectory(at: lessons.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = (["a,b,y"] + (0..<40).map { "\($0),\($0 % 3),\($0 % 2)" }).joined(separator: "\n")
        try csv.write(to: lessons.appendingPathComponent("data/t.csv"), atomically: true, encoding: .utf8)
        try "# T\n\n```descent\ndata csv data/t.csv label=y\n```\n".write(to: lessons.appendingPathComponent("t.md"),
                                                                             atomically: true, encoding: .utf8)
        let (session, runner, t) = scriptedSession("")
        runner.submit(typed: "lesson \(lessons.appendingPathComponent("t.md").path)")
        for line in ["data csv Notebooks/data/t.csv label=y", "data csv data/t.csv label=y"] {
            runner.submit(typed: line)
            #expect(runner.runToCompletion(timeout: testTimeout))
        }
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(session.bench.data?.full.count == 40)
        #expect(t.text.contains("label y: 2 classes: 0, 1 (a model's one output is the probability of 1)"), "\(t.text)")
    }

    /// The kept runs' table has the results first and says what else differs between the runs
    /// (lesson 8's four runs differ only in their penalty and dropout).
    @Test func keptRunsSayWhatElseDiffers() {
        let (session, runner, t) = RunStoreSessionTests.session(RunStoreSessionTests.store())
        defer { session.shutDown() }
        RunStoreSessionTests.type(["data xor", "model mlp 4", "train epochs=1 name=plain", "regularize l2 0.01",
                                   "train epochs=1 name=l2", "runs"], in: runner)
        let table = t.lines.filter { $0.kind == .table }.map(\.text).suffix(3)
        let header = table.first ?? ""
        #expect(header.hasPrefix("run") && header.hasSuffix("also differs"), "\(table)")
        #expect(header.range(of: "val loss")!.lowerBound < header.range(of: "status")!.lowerBound)
        #expect(table.contains { $0.hasPrefix("@2 (run 2 l2)") && $0.hasSuffix("regularize l2 0.01") }, "\(table)")
        #expect(table.contains { $0.hasPrefix("@1 (run 1 plain)") && $0.hasSuffix("no penalty") })
    }
}
