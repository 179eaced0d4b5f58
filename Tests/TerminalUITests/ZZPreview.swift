import Testing
import Foundation
import TerminalUI
@Test func zzPreview() {
    var buffer = Buffer(width: 46, height: 12)
    let block = Block(title: "Loss", rightTitle: ["train ━ val ┄"], bottomTitle: ["epoch 37"], isFocused: true)
    block.render(into: &buffer, area: buffer.area, context: RenderContext())
    let train: [(x: Double, y: Double)] = (0...1481).map { i in (x: Double(i), y: 0.7 * exp(-Double(i) / 300) + 0.2) }
    let val: [(x: Double, y: Double)] = (0...1481).map { i in (x: Double(i), y: 0.75 * exp(-Double(i) / 280) + 0.24) }
    LineChart(series: [.init(train), .init(val)], yScale: .log, markers: [.init(x: 900, label: "lr=.01")])
        .render(into: &buffer, area: block.inner(buffer.area), context: RenderContext())
    print(buffer.textDump())
}
