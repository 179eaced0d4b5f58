import Testing
import TestSupport
@testable import WorkbenchCore

/// `show misclassified TRUE PRED`: the samples behind one confusion cell, printed and kept for
/// the data pane.
@Suite struct MisclassifiedTests {
    static let digits = "seed 42\ndata digits\nmodel softmax\noptimizer adam lr=0.05\ntrain epochs=3"

    @Test func digitsArePrintedAsTextArt() throws {
        let (session, _, t) = scriptedSession(Self.digits + "\nshow confusion\nshow misclassified 3 3")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let selection = try #require(session.display.views.selection)
        #expect(selection.title.hasPrefix("true 3, predicted 3"))
        let data = try #require(session.display.data)
        #expect(selection.rows.allSatisfy { data.full.labels[$0] == 3 && data.validationRows.contains($0) })
        #expect(t.text.contains("(these are right)"))
        // Six digits to a band: a caption line, then 8 rows of 16 shade characters each.
        let art = t.lines.map(\.text).filter { $0.contains("▓") || $0.contains("█") }
        #expect(art.count >= 8)
        #expect(t.lines.contains { $0.text.hasPrefix("#") && $0.text.contains("  #") })
        #expect(SamplePreview.art(height: 8, width: 8, pixels: Array(repeating: 1, count: 64)).first == String(repeating: "█", count: 16))
    }

    @Test func textsArePrintedAsWordsAndTablesAsRows() {
        let (_, _, text) = scriptedSession("seed 1\ndata reviews n=400\nmodel textcls\ntrain epochs=2\nshow misclassified positive positive")
        #expect(text.errors.isEmpty, "\(text.errors)")
        #expect(text.lines.contains { $0.text.hasPrefix("#") && $0.text.contains(" the ") })
        let (_, _, table) = scriptedSession("seed 1\ndata iris\nmodel softmax\ntrain epochs=40\nshow misclassified setosa 0")
        #expect(table.errors.isEmpty, "\(table.errors)")
        #expect(table.lines.contains { $0.text.hasPrefix("#") && $0.text.contains("petal width") })
    }

    /// The samples a run picked are shown while it is current; another run's would be other mistakes.
    @Test func aSelectionBelongsToItsRun() throws {
        let (session, runner, _) = scriptedSession(Self.digits + "\nshow misclassified 3 3")
        #expect(session.display.selection?.run == 1)
        runner.enqueue(script: "train epochs=1", file: "test")
        #expect(runner.runToCompletion(timeout: testTimeout))
        #expect(session.display.views.selection != nil && session.display.selection == nil)
    }

    @Test func anEmptyCellClearsTheSelection() {
        let (session, _, t) = scriptedSession(Self.digits + "\nshow misclassified 0 0\nshow misclassified 0 7")
        #expect(t.text.contains("true 0, predicted 7: none of the 359 validation samples"))
        #expect(session.display.views.selection == nil)
    }

    @Test(arguments: [
        ("seed 1\ndata digits\nshow misclassified 1 2", "no run yet"),
        (digits + "\nshow misclassified 10 2", "unknown true class '10'; expected one of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9"),
        ("seed 1\ndata iris\nmodel softmax\ntrain epochs=2\nshow misclassified rose setosa", "unknown true class 'rose'"),
        ("seed 1\ndata sine\nmodel linear\ntrain epochs=2\nshow misclassified 0 1", "needs classes; this data is regression"),
    ])
    func mistakesAreExplained(script: String, message: String) {
        let (_, _, t) = scriptedSession(script)
        #expect(t.errors.count == 1 && t.errors[0].contains(message), "\(t.errors)")
    }

    @Test func afterCrossValidationTheCellIsOutOfFold() throws {
        let (session, _, t) = scriptedSession(CrossValidationTests.iris + "\nshow misclassified versicolor virginica\nshow data")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.text.contains("of 150 samples (out-of-fold predictions of cv)"))
        #expect(session.display.views.selection == nil)   // `show data` goes back to the whole set
    }
}
