import Foundation
import TerminalUI
import WorkbenchCore

extension PlotPalette {
    /// The theme's colours for exported plots. The terminal's own colours (a theme's `default`)
    /// are unknown to a file: those keep the built-in palette's, dark or light as the theme's
    /// text suggests.
    init(_ theme: Theme) {
        self.init()
        func hex(_ key: String, background: Bool = false) -> String? {
            let style = theme.style(key)
            guard let rgb = (background ? style.background : style.foreground).rgb else { return nil }
            return "#" + [rgb.r, rgb.g, rgb.b].map { String(format: "%02x", $0) }.joined()
        }
        if let text = hex("text") {
            let value = Int(text.dropFirst(), radix: 16) ?? 0
            let light = (value >> 16 & 0xFF) + (value >> 8 & 0xFF) + (value & 0xFF) < 3 * 110
            self.text = text
            if light { background = "#ffffff" }
        }
        if let bg = hex("text", background: true) { background = bg }
        axis = hex("chart.axis") ?? axis
        train = hex("loss.train") ?? train
        validation = hex("loss.val") ?? validation
        path = hex("accent") ?? path
        let classColours = (0..<10).map { hex("class.\($0)") }
        if classColours.allSatisfy({ $0 != nil }) { classes = classColours.compactMap { $0 } }
        let ramp = theme.rampColors.compactMap { Color.indexed($0).rgb }.map { "#" + [$0.r, $0.g, $0.b].map { String(format: "%02x", $0) }.joined() }
        if ramp.count >= 2 { self.ramp = ramp }
    }
}
