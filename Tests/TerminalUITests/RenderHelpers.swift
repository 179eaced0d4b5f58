import Foundation
import TerminalUI

/// Renders `widget` into a fresh `width`×`height` buffer covering the whole area.
func render(_ widget: some Widget, width: Int, height: Int,
            context: RenderContext = RenderContext()) -> Buffer {
    var buffer = Buffer(width: width, height: height)
    widget.render(into: &buffer, area: buffer.area, context: context)
    return buffer
}

/// The text a widget draws at a size.
func text(_ widget: some Widget, width: Int, height: Int, context: RenderContext = RenderContext()) -> String {
    render(widget, width: width, height: height, context: context).textDump()
}

/// A context with ASCII glyphs.
let asciiContext = RenderContext(glyphs: .ascii)
/// A context with the mono theme.
let monoContext = RenderContext(theme: .builtInMono)
