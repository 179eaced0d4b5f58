import Testing
import Foundation
import TerminalUI

@Test func preview() {
    func show(_ s: String) { print(s.split(separator: "\n", omittingEmptySubsequences: false).map { "|" + $0 }.joined(separator: "\n")); print("-----") }
    show(text(LineChart(series: [.init(values: [0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100])]), width: 20, height: 6))
    show(text(LineChart(series: [.init(values: [3, 1, 2, 0.5, 0.25])], markers: [.init(x: 2, label: "lr=.01")]), width: 20, height: 6))
    show(text(LineChart(series: [.init(values: [3, 1, 2, 0.5, 0.25])], markers: [.init(x: 2, label: "lr=.01")]), width: 20, height: 6, context: asciiContext))
    show(text(LineChart(series: [.init(values: [100, 10, 1, 0.1, 0.01, -1, 0.001])], yScale: .log), width: 20, height: 8))
    show(text(Block(title: "Data: spiral", rightTitle: ["log"]), width: 24, height: 4))
    show(text(Block(title: "Data: spiral", rightTitle: ["log"]), width: 24, height: 4, context: asciiContext))
    show(text(Block(title: "A very long title indeed", rightTitle: ["log"], bottomTitle: ["x"]), width: 12, height: 3))
    show(text(Table(header: ["", "pred 0", "pred 1", "P"], rows: [["0", "181", "9", "0.95"], ["1", "10", "200", "0.96"]], alignments: [.left, .right, .right, .right], highlightedRow: 1), width: 30, height: 4))
    show(text(Paragraph(lines: [["descent> ", "set lr 0.01"], ["lr 0.03 → 0.01 (applied at step 1481)"]], wrap: true), width: 20, height: 4))
    show(text(Paragraph(lines: [["descent> ", "set lr 0.01"], ["lr 0.03 → 0.01 (applied at step 1481)"]], wrap: false, scroll: 1, alignment: .right), width: 20, height: 2))
}
