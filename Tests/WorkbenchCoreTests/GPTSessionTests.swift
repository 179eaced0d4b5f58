import Testing
import NeuralEngine
@testable import WorkbenchCore

/// `data sort` + `model gpt` through the session: the preset's counts, training with the
/// exact-match metric, `predict` writing an answer, and what mismatches say.
@Suite struct GPTSessionTests {
    @Test func gptOnSortHasMinGPTsCountAndLearnsToSort() throws {
        let (session, _, t) = scriptedSession("""
            seed 1
            data sort n=3000
            model gpt
            optimizer adam lr=0.002
            batch 64
            train epochs=4
            show metrics
            predict 2 0 1 1 0 2
            expect val.exact > 0.9
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(try session.currentSummary().totalParameters == 85_728)
        #expect(t.text.contains("val exact"), "epoch lines report the exact match")
        let exact = try #require(session.records.first?.validationEvaluation?.sequence?.exactMatch)
        #expect(exact > 0.9)
        #expect(t.lines.contains { $0.text.hasPrefix("exact") }, "show metrics has an exact row")
        #expect(t.text.contains("wrote 0 0 1 1 2 2"))
    }

    @Test(arguments: [
        ("data spiral\nmodel gpt", "model gpt needs sequences of symbols, e.g. `data sort`"),
        ("data sort n=100\nmodel mlp 8", "would read symbols as numbers: for sequences of symbols try `model gpt`"),
        ("data sort n=100\nmodel gpt heads=5", "width=48 must be a multiple of heads=5"),
    ])
    func mismatchesSayWhatFits(script: String, message: String) {
        let (_, _, t) = scriptedSession(script)
        #expect(t.errors.count == 1 && t.errors[0].contains(message), "\(t.errors)")
    }

    @Test func predictNamesABadSymbol() {
        let (_, _, t) = scriptedSession("seed 1\ndata sort n=200\nmodel gpt layers=1\nbatch 64\ntrain epochs=1\npredict 2 0 1 1 0 7")
        #expect(t.errors.last?.contains("expected one of 0 1 2, got \"7\"") == true, "\(t.errors)")
    }
}
