import Testing
import Foundation
import TestSupport
import CommandLanguage
@testable import WorkbenchCore
import RunStore

/// The run store through the session: runs kept as they go, found again by a later session
/// (`runs`, `runs show`, `compare @N`, `reopen`), tags and notes, and the commands that made a
/// run replaying it bit for bit.
@Suite struct RunStoreSessionTests {
    static func store() -> String {
        let folder = NSTemporaryDirectory() + "descent-session-store-\(UUID().uuidString)"
        return folder + "/runs.sqlite"
    }

    /// A session keeping its runs at `path`, with a runner that waits for each command.
    static func session(_ path: String) -> (Session, ScriptRunner, Transcript) {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        #expect(session.keepRuns(at: path, build: "test build"))
        let runner = ScriptRunner(session: session, stopOnFailure: false)
        runner.lessonsFolder = CurriculumTests.folder
        return (session, runner, transcript)
    }

    static func type(_ lines: [String], in runner: ScriptRunner) {
        for line in lines {
            runner.submit(typed: line)
            #expect(runner.runToCompletion(timeout: testTimeout))
        }
    }

    @Test func aLaterSessionFindsReopensAndComparesAnEarlierRun() throws {
        let path = Self.store()
        let (first, runner1, _) = Self.session(path)
        Self.type(["seed 4", "data iris", "model softmax", "train epochs=12 name=base", "note \"the baseline\"",
                   "runs tag base baseline", "set lr 0.05", "step 3"], in: runner1)
        #expect(runner1.failures.isEmpty, "\(runner1.failures)")
        first.shutDown()
        let baseline = first.display.records[0]   // stepped by hand, it ended with the session

        let (second, runner2, t) = Self.session(path)
        defer { second.shutDown() }
        Self.type(["runs show @baseline"], in: runner2)
        let shown = t.lines.map(\.text)
        #expect(shown.contains { $0.hasPrefix("@1: run 1 base of session 1, started ") && $0.contains("· stopped · 12 epochs, 51 updates") },
                "\(shown)")
        #expect(shown.contains { $0.hasPrefix("note [") && $0.hasSuffix("]: the baseline") })
        #expect(shown.contains("changes: lr=0.05 at update 48"), "\(shown)")
        #expect(shown.contains("  train epochs=12 name=base"))
        // The earlier run comes back as it ended: same weights, same validation figures.
        Self.type(["reopen @baseline", "expect val.loss < 10"], in: runner2)
        let reopened = second.display.records.last!
        #expect(reopened.status == .loaded)
        #expect(reopened.validationEvaluation?.loss == baseline.validationEvaluation?.loss)
        // Compared with today's run: drawn beside it, labelled with its store number.
        Self.type(["model mlp 8", "train epochs=5", "compare @1 last 1"], in: runner2)
        // Reopened and not trained on, run 1 of this session is @1 itself: it is drawn as run 1.
        #expect(second.display.shownRuns.map(\.label) == ["2", "1 base"])
        #expect(second.display.shownRuns[1].epochHistory.count == 12)
        #expect(runner2.failures.isEmpty, "\(runner2.failures)")
        // Filters across both sessions.
        t.lines.removeAll()
        Self.type(["runs model=softmax"], in: runner2)
        let listed = t.lines.filter { $0.kind == .table }.map(\.text)
        // The reopened run is not kept twice: it is @1 until it trains on.
        #expect(listed.count == 2 && listed[1].hasPrefix("@1 (run 1 base)"), "\(listed)")
    }

    /// Types `lines` in a session keeping runs at `path`, exports kept run `number`'s commands
    /// and replays them: the run made, and the one the replay made.
    static func replayed(_ number: Int, after lines: [String], path: String) -> (made: RunRecord, again: RunRecord?) {
        let (session, runner, t) = Self.session(path)
        defer { session.shutDown() }
        Self.type(lines, in: runner)
        let made = session.display.records[number - 1]
        let notebook = NSTemporaryDirectory() + "descent-replay-\(UUID().uuidString).md"
        defer { try? FileManager.default.removeItem(atPath: notebook) }
        Self.type(["runs export @\(number) \(notebook)", "replay \(notebook)"], in: runner)
        #expect(runner.failures.isEmpty, "\(runner.failures) \(t.lines.map(\.text))")
        return (made, session.display.records.last)
    }

    @Test func theCommandsThatMadeARunReplayIt() throws {
        let (made, again) = Self.replayed(1, after: ["seed 11", "data moons n=200", "model mlp 8 act=tanh", "optimizer momentum lr=0.1",
                                                     "show data", "train epochs=6"], path: Self.store())
        #expect(again?.id == 2)
        #expect(again?.validationEvaluation == made.validationEvaluation)
        #expect(again?.epochHistory.map(\.trainLoss) == made.epochHistory.map(\.trainLoss))
    }

    /// A run's commands start at the last fresh set-up (`reset`, a lesson opened): what came
    /// before makes nothing of it, and it replays the same from there.
    @Test func aRunsCommandsStartAtTheLastFreshSetUp() throws {
        let path = Self.store()
        let (made, again) = Self.replayed(2, after: ["seed 3", "data xor", "model mlp 4", "train epochs=2", "reset",
                                                     "data moons n=200", "model mlp 8", "train epochs=3"], path: path)
        #expect(again?.id == 3 && again?.epochHistory.map(\.trainLoss) == made.epochHistory.map(\.trainLoss))
        let store = try RunStore.open(at: path)
        defer { store.close() }
        #expect(try store.run(2)?.commands == ["reset", "data moons n=200", "model mlp 8", "train epochs=3"])
    }

    @Test func foldsAndRacersAreRunsOfOneExperiment() throws {
        let path = Self.store()
        let (session, runner, _) = Self.session(path)
        Self.type(["seed 2", "data iris", "model softmax", "cv k=3 epochs=3", "compare sgd adam epochs=3"], in: runner)
        session.shutDown()
        let store = try RunStore.open(at: path)
        defer { store.close() }
        let runs = try store.list(RunFilter(), limit: 20).runs.sorted { $0.id < $1.id }
        #expect(runs.map(\.role) == ["fold", "fold", "fold", "cv", "racer", "racer"])
        #expect(runs.prefix(4).allSatisfy { $0.experiment == runs[0].id })
        #expect(runs.suffix(2).allSatisfy { $0.experiment == runs[4].id })
        #expect(runs.allSatisfy { $0.status == "finished" })
        #expect(runs[0].hasWeights && !runs[3].hasWeights)
    }

    @Test func withoutAStoreCommandsSaySo() {
        let transcript = Transcript()
        let session = Session { transcript.lines.append($0) }
        defer { session.shutDown() }
        session.execute(line: "runs show @1")
        #expect(transcript.lines.last?.text.hasPrefix("runs show: runs are not kept in this session") == true,
                "\(transcript.lines.map(\.text))")
    }
}
