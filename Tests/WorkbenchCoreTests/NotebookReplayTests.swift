import TestSupport
import Testing
import Foundation
@testable import WorkbenchCore
import Serving
import CommandLanguage

let notebooksFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Notebooks")

let allNotebooks: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: notebooksFolder.path)) ?? [])
    .filter { $0.hasSuffix(".md") }.sorted()

/// Every lesson replays headless with all its `expect` checks passing.
@Suite struct NotebookReplayTests {
    @Test func thereAreLessons() { #expect(allNotebooks.count >= 6) }

    @Test(arguments: allNotebooks)
    func notebookPasses(_ name: String) {
        let t = Transcript()
        let status = HeadlessFrontEnd(makeModelService: { ModelServer(ownThreads: true) }).replay([notebooksFolder.appendingPathComponent(name).path], timeout: testTimeout) { t.lines.append($0) }
        #expect(status == 0, "\(name):\n\(t.errors.joined(separator: "\n"))")
        #expect(t.text.contains("✓"), "\(name) checks nothing")
    }

    /// Output without the explicitly marked timings (`[0.42 s, 12.3k updates/s]`).
    static func withoutTimings(_ t: Transcript) -> String {
        TestSupport.withoutTimings(t.text)
    }

    /// The times `runs` lists are timings too: lesson 8's table differed between two replays
    /// either side of a minute (16:17 and 16:18) under a loaded test run.
    @Test func theTimesRunsListsAreTimings() {
        #expect(TestSupport.withoutTimings("@1 overfit  [16:17]  tag") == TestSupport.withoutTimings("@1 overfit  [16:18]  tag"))
        #expect(TestSupport.withoutTimings("@1 [Dec 5 14:02] and [2025-12-05]") == "@1 [time] and [time]")
        #expect(TestSupport.withoutTimings("val acc 0.9 [0.42 s, 12.3k updates/s]") == "val acc 0.9")
    }

    @Test func replayIsAPureFunctionOfTheNotebook() {
        let path = notebooksFolder.appendingPathComponent("welcome.md").path
        let a = Transcript(), b = Transcript()
        _ = HeadlessFrontEnd().replay([path], timeout: testTimeout) { a.lines.append($0) }
        _ = HeadlessFrontEnd().replay([path], timeout: testTimeout) { b.lines.append($0) }
        #expect(Self.withoutTimings(a) == Self.withoutTimings(b))
        #expect(a.text.contains(" s, "))   // timings are there, and marked
    }

    /// Every line a replay prints (timings aside) is the same on every replay: the notebooks with
    /// early stopping, a race and cross-validation, each replayed twice, and the early-stopping run
    /// whose message used to depend on when a thread read an epoch counter, five times.
    @Test(arguments: ["07-optimizer-race.md", "08-overfitting.md", "13-kfold-iris.md"])
    func replaysPrintTheSameLines(_ name: String) {
        let path = notebooksFolder.appendingPathComponent(name).path
        let a = Transcript(), b = Transcript()
        _ = HeadlessFrontEnd().replay([path], timeout: testTimeout) { a.lines.append($0) }
        _ = HeadlessFrontEnd().replay([path], timeout: testTimeout) { b.lines.append($0) }
        #expect(Self.withoutTimings(a) == Self.withoutTimings(b))
    }

    @Test func earlyStoppingSaysTheSameEveryTime() {
        let script = "seed 3\ndata circle n=60 noise=0.3\nmodel mlp 64,64 act=relu\noptimizer adam lr=0.01\ntrain epochs=400 patience=10"
        let texts = (0..<5).map { _ in
            let (_, _, t) = scriptedSession(script)
            return t.lines.filter { $0.text.hasPrefix("early stopping") }.map(\.text)
        }
        #expect(texts[0].count == 1 && texts.allSatisfy { $0 == texts[0] }, "\(texts)")
    }

    @Test func aMissingNotebookFailsWithItsName() {
        let t = Transcript()
        #expect(HeadlessFrontEnd().replay(["/nonexistent/lesson.md"]) { t.lines.append($0) } == 1)
        #expect(t.errors.first?.contains("/nonexistent/lesson.md: no such file") == true)
    }
}

/// `record FILE` writes what was typed; replaying it reproduces the losses bit for bit.
@Suite struct RecordReplayTests {
    static let commands = [
        "seed 9", "data moons n=200", "model mlp 8,8 act=relu", "optimizer momentum lr=0.05",
        "batch 16", "step 2", "train epochs=15", "show confusion", "help",
    ]

    func record(to path: String) -> Session {
        let session = Session()
        let runner = ScriptRunner(session: session)
        #expect(session.execute(line: "record \(path)"))
        for line in Self.commands {
            runner.submit(typed: line)
            #expect(runner.runToCompletion(timeout: testTimeout), "\(line) did not finish")
        }
        #expect(session.execute(line: "record stop"))
        return session
    }

    @Test func recordThenReplayGivesIdenticalLosses() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-record-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("first.md").path
        let second = folder.appendingPathComponent("second.md").path
        let original = record(to: first)
        _ = record(to: second)
        let text = try String(contentsOfFile: first, encoding: .utf8)
        #expect(text == (try String(contentsOfFile: second, encoding: .utf8)).replacingOccurrences(of: "# Second", with: "# First"))
        #expect(!text.contains("help") && !text.contains("record"))
        #expect(text.contains("```descent\nseed 9\n"))

        let replayed = Session()
        let runner = ScriptRunner(session: replayed)
        runner.enqueue(notebook: Notebook(parsing: text, fileName: first))
        #expect(runner.runToCompletion(timeout: testTimeout), "the replay did not finish")
        #expect(runner.failures.isEmpty)
        let a = original.display.records[0].epochHistory.map(\.trainLoss.bitPattern)
        let b = replayed.display.records[0].epochHistory.map(\.trainLoss.bitPattern)
        #expect(a.count == 15 && a == b)
        // Re-saving the parsed notebook changes no byte.
        #expect(Notebook(parsing: text, fileName: first).rendered() == text)
    }

    @Test func recordRefusesAFolderThatDoesNotExist() {
        let session = Session()
        #expect(!session.execute(line: "record /nonexistent/folder/x.md"))
    }
}
