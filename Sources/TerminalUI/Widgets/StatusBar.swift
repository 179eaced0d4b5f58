/// A one-row bar of styled segments: some on the left, some right-aligned.
///
///     ▶ training  epoch 37/100  loss 0.213                 lr 0.01  adam  2.1k steps/s
///
/// The row is filled with `status.bar` and the segments are patched over it. When everything
/// does not fit, the right segments follow the left ones after a space and the whole is cut
/// from the right, the last visible column showing `…`.
public struct StatusBar: Widget {
    /// Segments from the left edge.
    public var left: [Span]
    /// Segments flush with the right edge.
    public var right: [Span]
    /// The bar's style; nil uses the theme's `status.bar`.
    public var baseStyle: Style?

    /// Creates a status bar.
    public init(left: [Span], right: [Span] = [], baseStyle: Style? = nil) {
        self.left = left
        self.right = right
        self.baseStyle = baseStyle
    }

    public func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        guard !area.isEmpty else { return }
        let base = baseStyle ?? context.theme.style("status.bar")
        let row = area.top(1)
        buffer.withClip(row) { buffer in
            buffer.fill(row, with: Cell(" ", style: base))
            let separator = left.isEmpty || right.isEmpty ? 0 : 1
            if left.width + separator + right.width <= area.width {
                buffer.write(left, x: area.x, y: area.y, style: base)
                buffer.write(right, x: area.maxX - right.width, y: area.y, style: base)
            } else {
                let all = left + (separator == 1 ? [Span(" ")] : []) + right
                buffer.write(all.truncated(to: area.width, ellipsis: context.glyphs.ellipsis),
                             x: area.x, y: area.y, style: base)
            }
        }
    }
}
