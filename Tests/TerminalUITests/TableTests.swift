import Testing
import TerminalUI

@Suite("Table")
struct TableTests {
    let summary = Table(header: ["layer", "output", "params"],
                        rows: [["Dense 2→8 tanh", "(8)", "24"], ["Dense 8→1 sig", "(1)", "9"]],
                        alignments: [.left, .left, .right])

    @Test func columnsFitTheContentAndNumbersAlignRight() {
        #expect(text(summary, width: 40, height: 3) == """
            layer           output  params
            Dense 2→8 tanh  (8)         24
            Dense 8→1 sig   (1)          9
            """)
    }

    @Test func narrowTablesShrinkTheWidestColumnsWithAnEllipsis() {
        #expect(summary.columnWidths(available: 18) == [5, 5, 4])
        #expect(text(summary, width: 18, height: 3) == """
            layer  outp…  par…
            Dens…  (8)      24
            Dens…  (1)       9
            """)
        #expect(text(summary, width: 18, height: 3, context: asciiContext).hasPrefix("layer  outp~  par~"))
    }

    @Test func headerHighlightAndCellStyles() {
        let theme = Theme.builtInDefault
        let diagonal = Style(foreground: .green)
        let confusion = Table(header: ["", "pred 0", "pred 1"], rows: [["0", "181", "9"], ["1", "10", "200"]],
                              alignments: [.left, .right, .right], highlightedRow: 1,
                              cellStyles: [.init(row: 0, column: 1): diagonal])
        let buffer = render(confusion, width: 20, height: 4)
        #expect(buffer.textDump() == """
               pred 0  pred 1
            0     181       9
            1      10     200

            """)
        #expect(buffer[4, 0].style == theme.style("table.header"))
        #expect(buffer[5, 1].style == theme.style("text"))
        #expect(buffer[6, 1].style == theme.style("text").patched(with: diagonal))
        #expect(buffer[19, 2].style == theme.style("selection"))
        #expect(buffer[19, 1].style == .plain)
    }

    @Test func scrollingKeepsTheHeader() {
        let table = Table(header: ["n"], rows: (1...5).map { ["\($0)"] }, scroll: 3)
        #expect(text(table, width: 3, height: 3) == "n\n4\n5")
    }

    @Test func emptyTablesAndTinyAreasDrawNothingOrLittle() {
        #expect(text(Table(rows: []), width: 5, height: 2) == "\n")
        #expect(text(summary, width: 1, height: 1) == "…")
        #expect(text(summary, width: 0, height: 0) == "")
    }
}
