import Foundation
import Testing
import NeuralEngine
@testable import WorkbenchCore

/// `show heads` over a run, `show positions`, `show lens`, `ablate` and `patch` through the
/// session, on a small attention-only GPT (the mechanics; lesson 17 checks the learning).
@Suite struct CircuitSessionTests {
    static let setup = """
        seed 3
        data repeat n=600
        model gpt attention-only layers=2 heads=2 width=16
        optimizer adam lr=0.003
        batch 64
        train epochs=2
        """

    @Test func headsAreReadAtEverySnapshotAndShownWithTheirHistory() throws {
        let (session, _, t) = scriptedSession(Self.setup + "\nshow heads\nshow positions\nexpect positions.first > 0\nexpect heads.induction >= 0")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let history = try #require(session.display.latestSnapshot?.heads)
        #expect(history.points.count >= 2 && history.points.last?.update == session.display.records.last?.updates)
        let model = try #require(session.bench.runs.current?.trainer.model)
        #expect(history.latest == HeadScores.read(model), "the last snapshot reads the model as it ended")
        #expect(t.text.contains("L2H2") && t.text.contains("loss on the first half"))
        #expect(t.lines.contains { $0.text.contains(" induction ") && $0.text.contains("updates ") }, "the score over the updates")
        #expect(t.text.contains("seen before") && t.text.contains("in-context"))
    }

    /// `rewind` shows the heads as they were: the history up to that epoch, read at its weights.
    @Test func rewindShowsTheHeadsAsTheyWere() throws {
        let (session, _, t) = scriptedSession(Self.setup + "\nrewind 1\nshow heads")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let rewound = try #require(session.display.views.rewound)
        let history = try #require(session.display.latestSnapshot?.heads)
        let live = try #require(session.bench.runs.snapshot()?.heads)
        #expect(rewound.epoch == 1 && !history.points.isEmpty && history.points.allSatisfy { $0.update <= rewound.update })
        #expect(history.points.count < live.points.count && history.latest != nil && history.latest != live.latest)
    }

    @Test func ablateHoldsUntilOffAndPatchLeavesTheModelAsItWas() throws {
        let (session, _, t) = scriptedSession(Self.setup + """

            ablate L2H1
            show lens
            ablate off
            patch L2H2
            expect patched.acc >= 0
            expect intact.acc >= 0
            show lens
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.text.contains("with L2H1 silenced") && t.text.contains("L2H1 speaks again"))
        #expect(t.text.contains("output taken from a corrupted copy") && t.text.contains("embedding") && t.text.contains("block 2"))
        #expect(session.bench.lastPatch?.head == "L2H2" && session.bench.lastAblation?.head == "L2H1")
        #expect(session.bench.runs.current?.trainer.model.silencedHead == nil)
    }

    /// The lens fits the REPL: too narrow for every position, the sequence is read out above
    /// and the table keeps the scored positions.
    @Test func theLensFitsANarrowREPL() throws {
        let (session, runner, t) = scriptedSession(Self.setup)
        session.bench.frontEnd.textWidth = 64
        t.lines.removeAll()
        runner.submit(typed: "show lens")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let table = t.lines.filter { $0.kind == .table }.map(\.text)
        #expect(table.count >= 4 && table.allSatisfy { $0.count <= 64 }, "\(table)")
        #expect(t.text.contains("sequence 1 reads: ") && table[0].contains("positions "), "\(t.text)")
        #expect(!table.contains { $0.hasPrefix("reads") } && table.contains { $0.hasPrefix("block 2") })
    }

    @Test func trainingAgainBringsTheHeadBack() throws {
        let (session, _, t) = scriptedSession(Self.setup + "\nablate L1H2\nstep 1")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(session.bench.runs.current?.trainer.model.silencedHead == nil)
    }

    @Test(arguments: [
        ("\npatch L3H1", "patch L3H1: the model has blocks 1…2 of 2 heads (L1H1 … L2H2)"),
        ("\nablate head", "ablate head: expected a head as `show heads` names them"),
        ("\nexpect patched.acc > 0", "no `patch` on run 1 yet"),
        ("\nexpect positions.middle > 0", "positions.first, positions.repeat"),
    ])
    func mistakesSayWhatIsExpected(extra: String, message: String) {
        let (_, _, t) = scriptedSession(Self.setup + extra)
        #expect(t.errors.count == 1 && t.errors[0].contains(message), "\(t.errors)")
    }

    @Test func aModelWithoutHeadsIsToldWhatHasThem() {
        let (_, _, t) = scriptedSession("seed 1\ndata xor\nmodel mlp 4\ntrain epochs=1\nshow lens\nshow positions\npatch L1H1")
        #expect(t.errors.count == 3 && t.errors.allSatisfy { $0.contains("`model gpt` has them") }, "\(t.errors)")
    }
}
