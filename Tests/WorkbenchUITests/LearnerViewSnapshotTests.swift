import Testing
import Foundation
import TestSupport
import TerminalUI
@testable import WorkbenchCore
@testable import WorkbenchUI

/// The learner's views (issue 11) on screen, each at 120×40 and 80×24, drawn from recorded
/// runs (`RunFixture`): the contour with the path, an optimizer race, layer health, the LR range
/// test, a rewound epoch, a multi-class boundary and one hidden unit.
@MainActor
@Suite(.serialized) struct LearnerViewSnapshotTests {
    /// w and b of a line, by plain gradient descent: the path bends down the long valley.
    static let contour = Scenario(fixture: "contour",
                                  setup: ["seed 1", "data linear n=100 standardize=off", "model linear", "optimizer gd lr=0.3",
                                          "batch full"],
                                  training: ["step 12", "set lr 0.6", "step 6"],
                                  after: ["show contour"])
    static let race = Scenario(fixture: "race", setup: ["seed 3", "data moons", "model mlp 8 act=tanh"],
                               training: ["compare sgd momentum adam epochs=40"])
    /// Initial weights ten times too large: the tanh units saturate.
    static let saturated = Scenario(fixture: "saturated", setup: ["seed 1", "data spiral", "model mlp 8,8 act=tanh init=10"],
                                    training: ["train epochs=10"], after: ["show histograms"])
    static let lrFind = Scenario(fixture: "lrfind", setup: ["seed 2", "data moons", "model mlp 8 act=tanh"],
                                 training: ["train epochs=5", "lr find"])
    static let rewound = Scenario(fixture: "rewind", setup: ["seed 4", "data moons n=120 noise=0.35", "model mlp 32,32",
                                                              "optimizer adam lr=0.03"],
                                  training: ["train epochs=60", "rewind 15"])
    static let blobs = Scenario(fixture: "blobs", setup: ["seed 5", "data blobs k=4 noise=0.3", "model mlp 8 act=tanh"],
                                training: ["train epochs=30", "show unit 1 2"], after: ["show boundary"])

    /// A tiny GPT that has learnt to sort: the evaluation pane shows attention by itself for
    /// sequence data (block 1 on validation sample 0), the loss pane the loss ladder.
    static let attention = Scenario(fixture: "attention", setup: ["seed 1", "data sort n=2000", "model gpt",
                                                                  "optimizer adam lr=0.002", "batch 64"],
                                    training: ["train epochs=3"])

    /// An attention-only GPT that has learnt `data repeat`: the evaluation pane shows its heads
    /// by itself, each head's induction score by update beside the loss.
    static let heads = Scenario(fixture: "heads", setup: ["seed 1", "data repeat", "model gpt attention-only layers=2 heads=2 width=32",
                                                          "optimizer adam lr=0.003", "batch 64"],
                                training: ["train epochs=3"])

    func check(_ app: WorkbenchApp, _ name: String) {
        for (width, height) in [(120, 40), (80, 24)] {
            let text = screen(app, width: width, height: height)
            let result = Snapshot.assertMatches(text, named: "\(name)-\(width)x\(height)", in: snapshotFolder)
            #expect(result.matched, Comment(rawValue: result.message))
        }
    }

    @Test func contourMidDescent() {
        let app = fixtureApp(Self.contour)
        check(app, "contour")
        let text = screen(app, width: 120, height: 40)
        #expect(text.contains("Evaluate: loss J(w, b)") && text.contains("●"), "the current point is drawn")
    }

    @Test func optimizerRace() {
        let app = fixtureApp(Self.race)
        check(app, "race")
        let text = screen(app, width: 120, height: 40)
        #expect(text.contains("sgd") && text.contains("momentum") && text.contains("adam"), "a legend names every racer")
    }

    @Test func layerHealthOfASaturatedNetwork() {
        let app = fixtureApp(Self.saturated)
        check(app, "health-saturated")
        #expect(screen(app, width: 120, height: 40).contains("saturated"))
    }

    @Test func lrFindChart() {
        let app = fixtureApp(Self.lrFind)
        app.evaluationView = .lrFinder
        check(app, "lrfind")
        #expect(screen(app, width: 120, height: 40).contains("suggested"))
    }

    @Test func rewoundEpoch() {
        let app = fixtureApp(Self.rewound)
        check(app, "rewind")
        #expect(screen(app, width: 120, height: 40).contains("rewound to epoch 15"))
    }

    @Test func attentionOfEveryHead() {
        let app = fixtureApp(Self.attention)
        check(app, "attention")
        let wide = screen(app, width: 120, height: 40)
        #expect(wide.contains("Evaluate: attention, query by key") && wide.contains("h1") && wide.contains("h3"),
                "every head side by side at 120 columns")
        let mono = screen(fixtureApp(Self.attention, theme: "mono"), width: 120, height: 40)
        let result = Snapshot.assertMatches(mono, named: "attention-mono-120x40", in: snapshotFolder)
        #expect(result.matched, Comment(rawValue: result.message))
        _ = app.handle(.function(10), input: InputLine(prompt: "", text: "", cursor: 0))
        #expect(screen(app, width: 120, height: 40).contains("head 1 of 3"), "F10 goes on to one head")
    }

    @Test func headsByUpdate() {
        let app = fixtureApp(Self.heads)
        check(app, "heads")
        let wide = screen(app, width: 120, height: 40)
        #expect(wide.contains("Evaluate: heads, induction score by update") && wide.contains("L2H2") && wide.contains("probe loss"),
                "every head listed, the probe's loss below")
        #expect(wide.contains("rose"), "the likeliest induction head marked where its score rose")
        let mono = screen(fixtureApp(Self.heads, theme: "mono"), width: 120, height: 40)
        #expect(mono.contains("L1H1") && mono.contains("induction"), "without colour the heads are still named")
    }

    @Test func multiClassBoundary() {
        check(fixtureApp(Self.blobs), "blobs-boundary")
        let mono = screen(fixtureApp(Self.blobs, theme: "mono"), width: 120, height: 40)
        let result = Snapshot.assertMatches(mono, named: "blobs-boundary-mono-120x40", in: snapshotFolder)
        #expect(result.matched, Comment(rawValue: result.message))
        #expect(mono.contains("=a 0") && mono.contains("=d 3"), "the legend ties region letters to classes")
    }

    @Test func oneHiddenUnit() {
        let app = fixtureApp(Self.blobs)
        app.evaluationView = .unit
        check(app, "blobs-unit")
        #expect(screen(app, width: 120, height: 40).contains("unit 2 of layer 1 (Dense 2→8 tanh): -1 … 1"))
    }
}

/// Charts that show the lesson's point (issue 24), checked on what they draw, not on bits.
@MainActor @Suite struct ChartPointTests {
    /// The range test's loss axis stops at twice the starting loss when the sweep blows up, so
    /// the fall is drawn over the pane's height.
    @Test func lrFindCutsTheBlowUp() {
        let losses = [2.3, 2.3, 2.29, 2.2, 1.9, 1.2, 0.8, 0.7, 3, 40, 400]
        #expect(EvaluationPane.lrFinderRange(losses) == 0.7...4.58)
        #expect(EvaluationPane.lrFinderRange([2.3, 2.2, 1.5, 1.0, 0.9]) == nil, "nothing blows up: every point fits")
    }

    /// `compare` with a run blowing up (15 updates at lr 1.1, not yet caught) offers the log scale in the loss chart's title; F6 takes it.
    @Test func compareOffersTheLogScale() {
        let app = scriptedApp(["seed 7", "data linear n=200 noise=0.1", "model linear", "batch full",
                               "optimizer gd lr=0.45", "train epochs=20 name=right",
                               "optimizer gd lr=1.1", "train epochs=15 name=diverge", "compare right diverge"])
        #expect(screen(app, width: 120, height: 40).contains("Loss (F6: log) ━ right"))
        _ = app.handle(.function(6), input: InputLine(prompt: "", text: "", cursor: 0))
        #expect(screen(app, width: 120, height: 40).contains("Loss log ━ right"))
    }
}
