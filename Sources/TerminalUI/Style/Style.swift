/// How a cell looks: foreground and background colour plus text attributes.
///
/// Styles combine by *patching*: ``patched(with:)`` lays one style over another, the way a
/// highlighted table row keeps its reverse video when text is written into it.
public struct Style: Equatable, Hashable, Sendable {
    /// Colour of the glyph.
    public var foreground: Color
    /// Colour behind the glyph.
    public var background: Color
    /// Bold (often also brighter).
    public var bold: Bool
    /// Dim / faint.
    public var dim: Bool
    /// Foreground and background swapped.
    public var reverse: Bool
    /// Underlined.
    public var underline: Bool

    /// Creates a style; every part defaults to the terminal's own look.
    public init(
        foreground: Color = .terminalDefault,
        background: Color = .terminalDefault,
        bold: Bool = false,
        dim: Bool = false,
        reverse: Bool = false,
        underline: Bool = false
    ) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    /// The terminal's default colours and no attributes.
    public static let plain = Style()

    /// This style with `other` laid over it: `other`'s colours replace this style's where they
    /// are not ``Color/terminalDefault``, and `other`'s attributes are added (a patch never
    /// removes bold, dim, reverse or underline, and never resets a colour to the default).
    public func patched(with other: Style) -> Style {
        Style(
            foreground: other.foreground == .terminalDefault ? foreground : other.foreground,
            background: other.background == .terminalDefault ? background : other.background,
            bold: bold || other.bold,
            dim: dim || other.dim,
            reverse: reverse || other.reverse,
            underline: underline || other.underline
        )
    }

    /// Whether the style sets any colour (as opposed to attributes only).
    public var hasColor: Bool {
        foreground != .terminalDefault || background != .terminalDefault
    }
}
