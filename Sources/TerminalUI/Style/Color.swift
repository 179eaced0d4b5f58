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

// MARK: - Mixing

extension Color {
    /// Red, green and blue (0–255) of a palette entry, as xterm draws it: its default basic
    /// sixteen, the 6×6×6 cube (levels 0, 95, 135, 175, 215, 255) and the 24 greys
    /// 8, 18, …, 238. Nil for the terminal default, whose colour is not known.
    public var rgb: (r: Int, g: Int, b: Int)? {
        guard let i = index.map(Int.init) else { return nil }
        switch i {
        case 0..<16: return Color.basicRGB[i]
        case 16..<232:
            let n = i - 16, level = { (v: Int) in v == 0 ? 0 : 55 + 40 * v }
            return (level(n / 36), level(n / 6 % 6), level(n % 6))
        default:
            let v = 8 + 10 * (i - 232)
            return (v, v, v)
        }
    }

    /// The cube or grey entry (16–255) nearest to an RGB colour (least squared distance).
    public static func nearest(r: Int, g: Int, b: Int) -> Color {
        var best = 16, bestDistance = Int.max
        for i in 16..<256 {
            let c = Color.indexed(UInt8(i)).rgb!
            let d = (c.r - r) * (c.r - r) + (c.g - g) * (c.g - g) + (c.b - b) * (c.b - b)
            if d < bestDistance { best = i; bestDistance = d }
        }
        return .indexed(UInt8(best))
    }

    /// `self` moved `t` (0…1) of the way towards `other`, as the nearest palette entry; `other`
    /// itself when either colour is the terminal default.
    public func mixed(with other: Color, _ t: Double) -> Color {
        guard let a = rgb, let b = other.rgb else { return other }
        let t = min(1, max(0, t))
        func mix(_ x: Int, _ y: Int) -> Int { Int((Double(x) + (Double(y) - Double(x)) * t).rounded()) }
        return .nearest(r: mix(a.r, b.r), g: mix(a.g, b.g), b: mix(a.b, b.b))
    }

    /// xterm's default basic sixteen colours.
    private static let basicRGB: [(r: Int, g: Int, b: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
}
