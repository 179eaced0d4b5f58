import Testing
import TerminalUI

@Suite("Block")
struct BlockTests {
    @Test func titleAndRightTitleOnTheTopEdge() {
        #expect(text(Block(title: "Data: spiral", rightTitle: ["log"]), width: 24, height: 4) == """
            ┌ Data: spiral ── log ─┐
            │                      │
            │                      │
            └──────────────────────┘
            """)
    }

    @Test func asciiBorders() {
        #expect(text(Block(title: "Loss", bottomTitle: ["epoch 3"]), width: 16, height: 3, context: asciiContext) == """
            + Loss --------+
            |              |
            + epoch 3 -----+
            """)
    }

    @Test func longTitlesAreCutWithAnEllipsisAndTheRightTitleDropped() {
        #expect(text(Block(title: "A very long title indeed", rightTitle: ["log"], bottomTitle: ["x"]),
                     width: 12, height: 3) == """
            ┌ A very … ┐
            │          │
            └ x ───────┘
            """)
    }

    /// With `rightFirst` the title gives way to the right one, down to 12 columns of its own;
    /// without room for that, the right one is dropped as usual.
    @Test func aRightFirstBlockCutsItsTitleInstead() {
        var block = Block(title: "Lesson The learning rate: too small, right", rightTitle: ["cell 1/4 · F8"])
        block.rightFirst = true
        #expect(text(block, width: 40, height: 2).split(separator: "\n").first == "┌ Lesson The learnin… ─ cell 1/4 · F8 ─┐")
        #expect(text(block, width: 24, height: 2).split(separator: "\n").first == "┌ Lesson The learning… ┐")
    }

    @Test func innerAreaIsInsideTheBorders() {
        let area = Rect(x: 3, y: 2, width: 10, height: 5)
        #expect(Block().inner(area) == Rect(x: 4, y: 3, width: 8, height: 3))
        #expect(Block(borders: [.top]).inner(area) == Rect(x: 3, y: 3, width: 10, height: 4))
        #expect(Block().inner(Rect(width: 2, height: 2)).isEmpty)
    }

    @Test func partialBordersDrawOnlyTheirEdges() {
        #expect(text(Block(title: "REPL", borders: [.top, .left]), width: 10, height: 3) == """
            ┌ REPL ───
            │
            │
            """)
    }

    @Test func focusChangesBorderAndTitleStyles() {
        let theme = Theme.builtInDefault
        let focused = render(Block(title: "M", isFocused: true), width: 6, height: 2)
        #expect(focused[0, 0].style == theme.style("pane.border.focused"))
        #expect(focused[2, 0].style == theme.style("pane.border.focused").patched(with: theme.style("pane.title.focused")))
        let plain = render(Block(title: "M"), width: 6, height: 2)
        #expect(plain[0, 0].style == theme.style("pane.border"))
    }

    @Test func tooSmallToFrameDrawsNothing() {
        #expect(text(Block(title: "x"), width: 1, height: 5) == "\n\n\n\n")
        #expect(text(Block(title: "x"), width: 5, height: 1) == "")
        #expect(text(Block(title: "x"), width: 4, height: 2) == "┌──┐\n└──┘")
    }
}
