import Testing
import TerminalUI

@Suite("Paragraph, status bar, notice")
struct TextWidgetTests {
    let session: [[Span]] = [["descent> ", "set lr 0.01"], ["lr 0.03 → 0.01 (applied at step 1481)"]]

    @Test func paragraphWrapsAtSpaces() {
        let paragraph = Paragraph(lines: session)
        #expect(text(paragraph, width: 20, height: 5) == """
            descent> set lr 0.01
            lr 0.03 → 0.01
            (applied at step
            1481)

            """)
        #expect(paragraph.lineCount(width: 20) == 4)
        #expect(paragraph.lineCount(width: 0) == 0)
    }

    @Test func paragraphCutsLongWordsAndKeepsEmptyLines() {
        let paragraph = Paragraph("abcdefghij\n\nab cd")
        #expect(text(paragraph, width: 4, height: 6) == "abcd\nefgh\nij\n\nab\ncd")
        #expect(paragraph.lineCount(width: 4) == 6)
    }

    @Test func paragraphScrollsAndAlignsWithoutWrapping() {
        let paragraph = Paragraph(lines: session, wrap: false, scroll: 1)
        #expect(text(paragraph, width: 20, height: 2) == "lr 0.03 → 0.01 (appl\n")
        #expect(text(Paragraph("ab\nc", alignment: .right), width: 5, height: 2) == "   ab\n    c")
        #expect(text(Paragraph("ab\nc", alignment: .center), width: 5, height: 2) == " ab\n  c")
    }

    @Test func paragraphSpanStylesPatchTheBase() {
        let red = Style(foreground: .red)
        let buffer = render(Paragraph(lines: [[Span("a"), Span("b", red)]], baseStyle: Style(bold: true)),
                            width: 3, height: 1)
        #expect(buffer.styleDump(legend: [Style(bold: true): "B", Style(foreground: .red, bold: true): "R"]) == "BR")
    }

    @Test func statusBarPutsSegmentsLeftAndRight() {
        let bar = StatusBar(left: ["▶ training  epoch 37/100"], right: ["lr 0.01  adam"])
        #expect(text(bar, width: 50, height: 1) == "▶ training  epoch 37/100             lr 0.01  adam")
        let buffer = render(bar, width: 50, height: 2)
        #expect(buffer[30, 0].style == Theme.builtInDefault.style("status.bar"))
        #expect(buffer[30, 1].style == .plain)  // one row only
    }

    @Test func statusBarTruncatesFromTheRight() {
        let bar = StatusBar(left: ["▶ training  epoch 37/100"], right: ["lr 0.01  adam"])
        #expect(text(bar, width: 30, height: 1) == "▶ training  epoch 37/100 lr 0…")
        #expect(text(bar, width: 12, height: 1, context: asciiContext) == "▶ training ~")
        #expect(text(bar, width: 1, height: 1) == "…")
    }

    @Test func minimumSizeNoticeIsCentredAndWraps() {
        let notice = MinimumSizeNotice(minimumWidth: 80, minimumHeight: 24)
        #expect(text(notice, width: 30, height: 5) == """

              make the terminal at least
                   80×24 (now 30×5)


            """)
        #expect(text(notice, width: 60, height: 1, context: asciiContext)
            == "        make the terminal at least 80x24 (now 60x1)")
        #expect(notice.isSatisfied(by: Rect(width: 80, height: 24)))
        #expect(!notice.isSatisfied(by: Rect(width: 120, height: 23)))
    }
}
