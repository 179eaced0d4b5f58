/// Something that draws itself into a rectangle of a ``Buffer`` (immediate mode: a widget is
/// a value built fresh for every frame from the state it shows).
///
/// A widget draws only inside `area` (the types in this module enforce it with
/// ``Buffer/withClip(_:_:)``), draws nothing sensible but never crashes at sizes of 0 or 1,
/// and takes every colour from `context.theme` and every box or chart character from
/// `context.glyphs`.
public protocol Widget {
    /// Draws the widget into `area` of `buffer`.
    func render(into buffer: inout Buffer, area: Rect, context: RenderContext)
}

/// What every widget needs besides its own data: the colours and the characters to draw with.
public struct RenderContext: Equatable, Sendable {
    /// Colours by meaning.
    public var theme: Theme
    /// Box-drawing and chart characters for the terminal's locale.
    public var glyphs: Glyphs

    /// Creates a context; defaults to the built-in default theme and Unicode glyphs.
    public init(theme: Theme = .builtInDefault, glyphs: Glyphs = .unicode) {
        self.theme = theme
        self.glyphs = glyphs
    }
}

/// Horizontal placement of text within a width.
public enum Alignment: Equatable, Hashable, Sendable {
    /// Flush left.
    case left
    /// Centred (an odd leftover cell goes to the right).
    case center
    /// Flush right.
    case right

    /// The offset at which `length` columns start inside `width` columns (0 when they don't fit).
    public func offset(length: Int, in width: Int) -> Int {
        let free = max(0, width - length)
        switch self {
        case .left: return 0
        case .center: return free / 2
        case .right: return free
        }
    }
}

/// A piece of text in one style: the unit of styled text in titles, paragraphs and status bars.
public struct Span: Equatable, Hashable, Sendable, ExpressibleByStringLiteral {
    /// The text; one column per grapheme.
    public var text: String
    /// The style, patched over the style of whatever the span is drawn in.
    public var style: Style

    /// Creates a span.
    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// A plain span from a string literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// The number of columns the text takes (its grapheme count).
    public var width: Int { text.count }
}

extension Array where Element == Span {
    /// The total number of columns of the spans.
    public var width: Int { reduce(0) { $0 + $1.width } }

    /// The spans cut to at most `width` columns; when cut, the last column shows `ellipsis`.
    public func truncated(to width: Int, ellipsis: String) -> [Span] {
        guard self.width > width else { return self }
        guard width > 0 else { return [] }
        var result: [Span] = []
        var remaining = width - 1
        for span in self where remaining > 0 {
            let piece = String(span.text.prefix(remaining))
            result.append(Span(piece, span.style))
            remaining -= piece.count
        }
        result.append(Span(ellipsis, result.last?.style ?? first?.style ?? .plain))
        return result
    }
}
