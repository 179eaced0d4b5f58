@preconcurrency import CNcursesw
import TerminalUI

/// Allocates ncurses colour pairs on demand, one per (foreground, background) combination.
struct ColorPairs {
    private var numbers: [Key: Int] = [:]
    var limit = 256

    private struct Key: Hashable { let fg: Int16; let bg: Int16 }

    /// The pair for these colours, created at first use; 0 (the terminal's colours) when the
    /// table is full or both are the default.
    mutating func pair(for foreground: Color, _ background: Color, colors: Int) -> Int {
        let key = Key(fg: Self.index(foreground, colors: colors), bg: Self.index(background, colors: colors))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let n = numbers[key] { return n }
        let n = numbers.count + 1
        guard n < min(limit, Int(Int16.max)) else { return 0 }
        init_pair(Int16(n), key.fg, key.bg)
        numbers[key] = n
        return n
    }

    /// -1 is the terminal's own colour; indices beyond the palette fold into the basic eight.
    static func index(_ color: Color, colors: Int) -> Int16 {
        switch color {
        case .terminalDefault: return -1
        case .indexed(let i): return Int(i) < colors ? Int16(i) : Int16(Int(i) % 8)
        }
    }
}
