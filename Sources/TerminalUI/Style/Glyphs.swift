/// The characters widgets draw with: box drawing, chart dots, blocks and marks.
///
/// ``unicode`` is for UTF-8 terminals; ``ascii`` is what a non-UTF-8 locale gets (borders of
/// `+ - |`, charts of `. ' :`, blocks of `#`). Widgets take their glyphs from the
/// ``RenderContext`` and never hard-code a box-drawing character.
public struct Glyphs: Equatable, Sendable {
    // MARK: Borders
    /// `┌`
    public var topLeft: String
    /// `┐`
    public var topRight: String
    /// `└`
    public var bottomLeft: String
    /// `┘`
    public var bottomRight: String
    /// `─`
    public var horizontal: String
    /// `│`
    public var vertical: String
    /// `├`: a vertical line with a stub to the right (a divider meeting a left edge).
    public var verticalRight: String
    /// `┤`: a vertical line with a stub to the left (also the y axis' tick).
    public var verticalLeft: String
    /// `┬`: a horizontal line with a stub downwards (also the x axis' tick).
    public var horizontalDown: String
    /// `┴`: a horizontal line with a stub upwards.
    public var horizontalUp: String
    /// `┼`
    public var cross: String

    // MARK: Text
    /// Marks truncated text: `…` (or `~`).
    public var ellipsis: String
    /// The multiplication sign in sizes such as `80×24` (or `x`).
    public var times: String
    /// Leads from a problem to its answer: `→` (or `->`).
    public var arrow: String

    // MARK: Charts
    /// Whether charts use braille dots (2×4 per cell); otherwise ``dotTop``, ``dotBottom``, ``dotBoth``
    /// (1×2 dots per cell).
    public var usesBraille: Bool
    /// Whether heat maps use ``upperHalfBlock`` (two grid rows per cell, needs colour).
    public var usesHalfBlocks: Bool
    /// `▀`: the upper half block.
    public var upperHalfBlock: String
    /// A non-braille plot cell with a dot in its top half only: `'`.
    public var dotTop: String
    /// A non-braille plot cell with a dot in its bottom half only: `.`.
    public var dotBottom: String
    /// A non-braille plot cell with dots in both halves: `:`.
    public var dotBoth: String
    /// Eight bars of growing height (`▁` … `█`) for sparklines.
    public var bars: [String]
    /// Shades from empty to full (` .:-=+*#%@`) for heat maps without colour.
    public var shades: [String]
    /// A single point on a heat map: `•` (or `o`).
    public var point: String
    /// Where a path is now, on a contour: `●` (or `@`).
    public var currentPoint: String
    /// Marks a chart marker's position: `▲` (or `^`).
    public var markerArrow: String
    /// One mark per class for scatters without colour or braille; class N uses mark N mod 10.
    public var classMarks: [String]
    /// Before the title of the pane with the keyboard focus: `▶` (or `>`), so the focus shows
    /// without colour too.
    public var focusMark: String

    /// Unicode box drawing (square corners), braille dots and half blocks.
    public static let unicode = Glyphs(
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│",
        verticalRight: "├", verticalLeft: "┤", horizontalDown: "┬", horizontalUp: "┴", cross: "┼",
        ellipsis: "…", times: "×", arrow: "→", usesBraille: true, usesHalfBlocks: true, upperHalfBlock: "▀",
        dotTop: "'", dotBottom: ".", dotBoth: ":",
        bars: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"],
        shades: [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"],
        point: "•", currentPoint: "●", markerArrow: "▲",
        classMarks: ["●", "○", "▲", "△", "■", "□", "◆", "◇", "▼", "▽"],
        focusMark: "▶"
    )

    /// Plain ASCII for terminals whose locale is not UTF-8.
    public static let ascii = Glyphs(
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|",
        verticalRight: "+", verticalLeft: "+", horizontalDown: "+", horizontalUp: "+", cross: "+",
        ellipsis: "~", times: "x", arrow: "->", usesBraille: false, usesHalfBlocks: false, upperHalfBlock: "#",
        dotTop: "'", dotBottom: ".", dotBoth: ":",
        bars: ["_", "_", ".", "-", "-", "=", "=", "#"],
        shades: [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"],
        point: "o", currentPoint: "@", markerArrow: "^",
        classMarks: ["o", "x", "+", "*", "#", "@", "%", "&", "=", "~"],
        focusMark: ">"
    )

    /// ``unicode`` when the locale in `environment` is UTF-8 (the first of `LC_ALL`, `LC_CTYPE`,
    /// `LANG` that is set decides, as in C), ``ascii`` otherwise.
    public static func forLocale(environment: [String: String]) -> Glyphs {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8") ? .unicode : .ascii
    }

    /// The mark for class `index` (any integer; wraps modulo the number of marks).
    public func classMark(_ index: Int) -> String {
        let count = classMarks.count
        return count == 0 ? "*" : classMarks[((index % count) + count) % count]
    }
}
