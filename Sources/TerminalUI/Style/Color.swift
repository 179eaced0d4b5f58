/// A terminal colour: the terminal's own default, or an entry of the 256-colour palette.
///
/// Indices 0–7 are the basic eight colours every colour terminal has (black, red, green,
/// yellow, blue, magenta, cyan, white), 8–15 their bright variants, 16–231 a 6×6×6 colour cube
/// and 232–255 a grey ramp. A backend on a terminal with fewer colours maps or drops indices it
/// cannot show; themes meant for such terminals (`mono`) use no colour at all.
public enum Color: Equatable, Hashable, Sendable {
    /// The terminal's default foreground or background (whatever the user configured).
    case terminalDefault
    /// An index into the 256-colour palette.
    case indexed(UInt8)

    /// Palette index 0.
    public static let black = Color.indexed(0)
    /// Palette index 1.
    public static let red = Color.indexed(1)
    /// Palette index 2.
    public static let green = Color.indexed(2)
    /// Palette index 3.
    public static let yellow = Color.indexed(3)
    /// Palette index 4.
    public static let blue = Color.indexed(4)
    /// Palette index 5.
    public static let magenta = Color.indexed(5)
    /// Palette index 6.
    public static let cyan = Color.indexed(6)
    /// Palette index 7.
    public static let white = Color.indexed(7)

    /// The names theme files may use for the basic colours, in palette order.
    public static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Reads a colour as written in a theme file: `default`, a basic colour name, or 0–255.
    /// Returns `nil` for anything else.
    public init?(themeValue text: String) {
        let lowered = text.lowercased()
        if lowered == "default" {
            self = .terminalDefault
        } else if let index = Color.basicNames.firstIndex(of: lowered) {
            self = .indexed(UInt8(index))
        } else if let number = UInt8(text) {
            self = .indexed(number)
        } else {
            return nil
        }
    }

    /// The palette index, or `nil` for the terminal default.
    public var index: UInt8? {
        if case .indexed(let value) = self { return value }
        return nil
    }
}
