import Testing
import TerminalUI

@Suite("Buffer")
struct BufferTests {
    @Test func freshBufferIsBlankAndDumpsEmptyRows() {
        let buffer = Buffer(width: 3, height: 2)
        #expect(buffer[0, 0] == .blank)
        #expect(buffer.textDump() == "\n")
        #expect(Buffer(width: -2, height: 3).width == 0)
    }

    @Test func writeClipsAtTheRightEdgeAndReturnsColumnsAdvanced() {
        var buffer = Buffer(width: 6, height: 2)
        #expect(buffer.write("hello world", x: 2, y: 0) == 4)
        #expect(buffer.write("abc", x: 0, y: 1, maxWidth: 2) == 2)
        #expect(buffer.textDump() == """
              hell
            ab
            """)
    }

    @Test func writeOutsideTheBufferIsIgnored() {
        var buffer = Buffer(width: 4, height: 1)
        #expect(buffer.write("xyz", x: 0, y: 1) == 0)
        #expect(buffer.write("xyz", x: 0, y: -1) == 0)
        #expect(buffer.write("xyz", x: 9, y: 0) == 0)
        #expect(buffer.write("abcdef", x: -2, y: 0) == 6)  // the first two fall off the left edge
        #expect(buffer.textDump() == "cdef")
        buffer[-1, 0] = Cell("!")
        buffer[4, 0] = Cell("!")
        #expect(buffer[-1, 0] == .blank)
        #expect(buffer.textDump() == "cdef")
    }

    @Test func oneCellPerGraphemeAndControlCharactersBecomeSpaces() {
        var buffer = Buffer(width: 8, height: 1)
        let written = buffer.write("é⠑\u{1F44D}\tx\u{1B}y", x: 0, y: 0)
        #expect(written == 7)
        #expect(buffer[0, 0].symbol == "é")
        #expect(buffer[1, 0].symbol == "⠑")
        #expect(buffer[3, 0].symbol == " ")
        #expect(buffer[5, 0].symbol == " ")
        #expect(buffer.textDump() == "é⠑\u{1F44D} x y")
    }

    @Test func writePatchesTheExistingStyle() {
        var buffer = Buffer(width: 4, height: 1)
        buffer.fill(buffer.area, with: Cell(" ", style: Style(background: .indexed(236))))
        buffer.write("ab", x: 0, y: 0, style: Style(foreground: .red, bold: true))
        #expect(buffer[0, 0].style == Style(foreground: .red, background: .indexed(236), bold: true))
        #expect(buffer[2, 0].style == Style(background: .indexed(236)))
    }

    @Test func spansAdvanceOneAfterAnother() {
        var buffer = Buffer(width: 10, height: 1)
        let advanced = buffer.write([Span("ab", Style(bold: true)), Span("cd")], x: 1, y: 0, maxWidth: 3)
        #expect(advanced == 3)
        #expect(buffer.textDump() == " abc")
        #expect(buffer[2, 0].style.bold)
        #expect(!buffer[3, 0].style.bold)
    }

    @Test func fillAndSetStyleStayInsideTheBuffer() {
        var buffer = Buffer(width: 4, height: 3)
        buffer.fill(Rect(x: 2, y: 1, width: 10, height: 10), with: Cell("#"))
        buffer.setStyle(Rect(x: -5, y: 0, width: 6, height: 2), Style(reverse: true))
        #expect(buffer.textDump() == """

              ##
              ##
            """)
        #expect(buffer.styleDump(legend: [Style(reverse: true): "r"]) == """
            r
            r

            """)
    }

    @Test func withClipConfinesEveryKindOfWrite() {
        var buffer = Buffer(width: 6, height: 3)
        buffer.withClip(Rect(x: 1, y: 1, width: 3, height: 1)) { buffer in
            buffer.fill(buffer.area, with: Cell("#"))
            buffer.write("abcdef", x: 0, y: 1)
            buffer[5, 2] = Cell("!")
        }
        buffer[5, 2] = Cell("!")  // the clip is restored afterwards
        #expect(buffer.textDump() == """

             bcd
                 !
            """)
    }

    @Test func changesListOnlyDifferingCells() {
        var old = Buffer(width: 3, height: 2)
        old.write("abc", x: 0, y: 0)
        var new = old
        new[1, 1] = Cell("x")
        new[2, 0] = Cell("c", style: Style(bold: true))
        let changes = new.changes(from: old)
        #expect(changes.map { "\($0.x),\($0.y)" } == ["2,0", "1,1"])
        #expect(changes[1].cell.symbol == "x")
        #expect(new.changes(from: new).isEmpty)
    }

    @Test func changesAfterAResizeAreTheWholeBuffer() {
        let new = Buffer(width: 3, height: 2)
        #expect(new.changes(from: Buffer(width: 2, height: 2)).count == 6)
        #expect(new.changes(from: Buffer(width: 0, height: 0)).count == 6)
    }

    @Test func textDumpTrimsTrailingSpacesOnly() {
        var buffer = Buffer(width: 5, height: 2)
        buffer.write(" a b ", x: 0, y: 0)
        #expect(buffer.textDump() == " a b\n")
    }

    @Test func styleDumpMarksUnknownStyles() {
        var buffer = Buffer(width: 3, height: 1)
        buffer[0, 0] = Cell("x", style: Style(bold: true))
        buffer[1, 0] = Cell("y", style: Style(dim: true))
        #expect(buffer.styleDump(legend: [Style(bold: true): "B"]) == "B?")
    }

    @Test func equalityIgnoresTheClip() {
        var a = Buffer(width: 2, height: 1)
        a.withClip(Rect(width: 1, height: 1)) { _ in }
        #expect(a == Buffer(width: 2, height: 1))
    }
}
