/// One character cell of the screen: a symbol and its style.
///
/// The symbol is a single grapheme that the terminal shows one column wide. TerminalUI treats
/// every grapheme as one column; wide (CJK, emoji) characters are out of scope for now and
/// would misalign the columns after them.
public struct Cell: Equatable, Hashable, Sendable {
    /// The grapheme shown in the cell; a space when empty.
    public var symbol: String
    /// Colours and attributes.
    public var style: Style

    /// Creates a cell; `symbol` should be exactly one grapheme.
    public init(_ symbol: String = " ", style: Style = .plain) {
        self.symbol = symbol
        self.style = style
    }

    /// A space in the plain style: what a fresh buffer holds.
    public static let blank = Cell()

    /// The symbol a grapheme is stored as: control characters (tabs, newlines, escapes) become
    /// a space so that nothing written into a buffer can move the terminal's cursor.
    static func symbol(for character: Character) -> String {
        guard let first = character.unicodeScalars.first else { return " " }
        let value = first.value
        if value < 0x20 || (0x7F...0x9F).contains(value) { return " " }
        return String(character)
    }
}
