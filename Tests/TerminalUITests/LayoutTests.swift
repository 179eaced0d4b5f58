import Testing
import TerminalUI

@Suite("Rect and splitting")
struct LayoutTests {
    let parent = Rect(x: 2, y: 1, width: 100, height: 40)

    @Test func verticalSplitStacksRowsAndFillTakesTheRest() {
        let parts = parent.split(vertical: [.fixed(3), .fill, .percent(25), .fixed(1)])
        #expect(parts == [
            Rect(x: 2, y: 1, width: 100, height: 3),
            Rect(x: 2, y: 4, width: 100, height: 26),
            Rect(x: 2, y: 30, width: 100, height: 10),
            Rect(x: 2, y: 40, width: 100, height: 1),
        ])
    }

    @Test func horizontalSplitSharesLeftoverEquallyFirstGetsOddCells() {
        let parts = Rect(width: 11, height: 2).split(horizontal: [.fill, .min(2), .fill])
        #expect(parts.map(\.width) == [3, 5, 3])
        #expect(parts.map(\.x) == [0, 3, 8])
    }

    @Test func overConstrainedSplitsShrinkTheLaterPartsAndNeverExceedTheParent() {
        let sizes = Rect.sizes(of: [.fixed(6), .fixed(6), .min(3), .fill], total: 10)
        #expect(sizes == [6, 4, 0, 0])
        #expect(Rect.sizes(of: [.percent(80), .percent(80)], total: 10) == [8, 2])
        #expect(Rect.sizes(of: [.fixed(-3), .percent(150)], total: 5) == [0, 5])
        #expect(Rect.sizes(of: [.fixed(2)], total: 5) == [2])  // no flexible part: leftover unused
        #expect(Rect.sizes(of: [.fill, .fill], total: 0) == [0, 0])
    }

    @Test func splitPartsAlwaysLieInsideTheParent() {
        for total in 0...30 {
            let parts = Rect(width: total, height: 3).split(horizontal: [.fixed(7), .percent(40), .min(5), .fill])
            #expect(parts.reduce(0) { $0 + $1.width } <= total)
            #expect(parts.allSatisfy { Rect(width: total, height: 3).contains($0) })
        }
    }

    @Test func insetShrinksAndBecomesEmpty() {
        #expect(parent.inset(by: 1) == Rect(x: 3, y: 2, width: 98, height: 38))
        #expect(Rect(width: 1, height: 5).inset(by: 1).isEmpty)
        #expect(Rect(width: 5, height: 5).inset(top: 1, right: 2) == Rect(x: 0, y: 1, width: 3, height: 4))
    }

    @Test func containsAndIntersection() {
        let rect = Rect(x: 1, y: 1, width: 2, height: 2)
        #expect(rect.contains(x: 1, y: 2))
        #expect(!rect.contains(x: 3, y: 1))
        #expect(rect.intersection(Rect(x: 2, y: 0, width: 5, height: 2)) == Rect(x: 2, y: 1, width: 1, height: 1))
        #expect(rect.intersection(Rect(x: 5, y: 5, width: 1, height: 1)).isEmpty)
        #expect(Rect(width: -4, height: 2).isEmpty)
        #expect(parent.top(2) == Rect(x: 2, y: 1, width: 100, height: 2))
        #expect(parent.bottom(1) == Rect(x: 2, y: 40, width: 100, height: 1))
    }
}
