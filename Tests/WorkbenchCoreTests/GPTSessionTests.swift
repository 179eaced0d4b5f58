import Foundation
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
            optimizer adam lr=0.0005
            batch 64
            train epochs=8
            show metrics
            predict 2 0 1 1 0 2
            expect val.exact > 0.9
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(try session.display.currentSummary().totalParameters == 85_728)
        #expect(t.text.contains("val exact"), "epoch lines report the exact match")
        let exact = try #require(session.display.records.first?.validationEvaluation?.sequence?.exactMatch)
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

@Suite struct AttentionViewTests {
    @Test func showAttentionPrintsEveryHeadOfALayerWithTheSymbolsOnBothAxes() throws {
        let (session, _, t) = scriptedSession("""
            seed 2
            data sort n=400
            model gpt layers=2 heads=2 width=16
            batch 64
            step 1
            show attention 2 0 4
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        let maps = try #require(session.display.attentionMaps)
        // Samples count from 1: #4 is the validation split's row 3.
        #expect(maps.sample == 3 && maps.layers.map(\.name) == ["block1", "block2"])
        #expect(session.display.views.attention == AttentionView(layer: 1, head: nil, sample: 3))
        let symbols = session.display.attentionSymbols(maps)
        let lines = t.lines.map(\.text)
        let title = try #require(lines.firstIndex { $0.hasPrefix("attention in block2 (2 heads, causal) on validation sample #4") })
        #expect(lines[title + 1].contains("head 1") && lines[title + 1].contains("head 2"))
        #expect(lines[title + 2].hasPrefix("  " + symbols.joined(separator: " ")))
        // Row t: its symbol, then t + 1 shades (the causal triangle is blank); the first query
        // sees only itself, so its one cell is full.
        #expect(lines[title + 3] .hasPrefix("\(symbols[0]) @"))
        for t in 0..<symbols.count {
            let row = lines[title + 3 + t]
            #expect(row.hasPrefix(symbols[t] + " "))
        }
        // The shades have their key under the maps.
        #expect(lines[title + 3 + symbols.count] == "shades from none to all of a row's attention: ' .:-=+*#%@' (a step is 1/9)")
    }

    @Test func cyclingGoesThroughTheHeadsThenTheNextLayer() {
        let (session, _, _) = scriptedSession("seed 2\ndata sort n=200\nmodel gpt layers=2 heads=2 width=16\nbatch 64\nstep 1")
        var seen: [AttentionView] = []
        for _ in 0..<6 { session.cycleAttention(); seen.append(session.display.views.attention) }
        #expect(seen.map(\.layer) == [0, 0, 1, 1, 1, 0])
        #expect(seen.map(\.head) == [0, 1, nil, 0, 1, nil])
    }

    @Test(arguments: [
        ("data spiral\nmodel mlp 8\nstep 1\nshow attention", "this model has no attention layer"),
        ("data sort n=200\nmodel gpt layers=1\nstep 1\nshow attention 2", "attention layers 1…1 (block1)"),
        ("data sort n=200\nmodel gpt layers=1\nstep 1\nshow attention 1 4", "block1 has heads 1…3 (0: all of them)"),
        ("data sort n=200\nmodel gpt layers=1\nstep 1\nshow attention 1 1 999", "the validation split has samples 1…"),
        ("data sort n=200\nmodel gpt\nshow attention", "no model yet"),
    ])
    func badRequestsSayWhatExists(script: String, message: String) {
        let (_, _, t) = scriptedSession(script)
        #expect(t.errors.count == 1 && t.errors[0].contains(message), "\(t.errors)")
    }
}

@Suite struct GenerateTests {
    @Test func generateWritesWordsAndRepeatsWithTheSeed() throws {
        let script = "seed 3\ndata words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1\ngenerate 80 temperature=0.8\ngenerate 80 temperature=0"
        let (_, _, first) = scriptedSession(script)
        let (_, _, second) = scriptedSession(script)
        #expect(first.errors.isEmpty, "\(first.errors)")
        let written = first.lines.filter { $0.kind == .result }.map(\.text).suffix(2)
        #expect(written.count == 2 && written.allSatisfy { $0.count > 40 })
        #expect(Array(written) == Array(second.lines.filter { $0.kind == .result }.map(\.text).suffix(2)), "same seed, same text")
        #expect(first.text.contains("of them in the word list"))
    }

    @Test(arguments: [
        ("data sort n=200\nmodel gpt layers=1\nbatch 64\ntrain epochs=1\ngenerate", "a sort model answers problems: `predict"),
        ("data spiral\nmodel mlp 8\ntrain epochs=1\ngenerate", "generate writes with a character-level model"),
        ("data words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1\ngenerate prompt=\"Q\"", "the prompt's \"Q\" is not among"),
        ("data words\nmodel gpt layers=1\nbatch 64\ntrain epochs=1\npredict a b", "this model continues text: `generate`"),
    ])
    func misusesSayWhatToDo(script: String, message: String) {
        let (_, _, t) = scriptedSession(script)
        #expect(t.errors.count == 1 && t.errors[0].contains(message), "\(t.errors)")
    }
}

@Suite struct LadderSessionTests {
    @Test func showLadderListsWhatTheModelWroteAsItsLossFell() {
        let (session, _, t) = scriptedSession("seed 1\ndata sort n=600\nmodel gpt layers=1\noptimizer adam lr=0.005\nbatch 64\ntrain epochs=3\nshow ladder")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let rungs = session.display.latestSnapshot?.ladder ?? []
        #expect(rungs.count >= 2 && rungs[0].update == 1)
        #expect(t.text.contains("loss ladder of run 1") && t.text.contains("its answer to validation sample #1"))
        let (_, _, bad) = scriptedSession("data spiral\nmodel mlp 8\ntrain epochs=1\nshow ladder")
        #expect(bad.errors.first?.contains("no ladder yet") == true)
    }
}

@Suite struct GPTExportTests {
    @Test func frameworkScriptsRefuseATransformerNamingTheLayer() {
        let (_, _, t) = scriptedSession("seed 1\ndata sort n=200\nmodel gpt layers=1\nbatch 64\nstep 1\nexport keras /tmp/descent-gpt-never.py")
        #expect(t.errors.count == 1 && t.errors[0].contains("tokens1 (Tokens 3→48 + 11 positions) is a transformer layer"), "\(t.errors)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/descent-gpt-never.py"))
    }
}
