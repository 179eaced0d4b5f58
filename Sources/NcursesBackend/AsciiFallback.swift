/// One ASCII character for a symbol a non-UTF-8 terminal cannot show. Widgets already draw
/// with ASCII glyphs there; this catches the rest (arrows and dots in text, Greek letters).
enum AsciiFallback {
    static let table: [String: String] = [
        "→": ">", "←": "<", "↑": "^", "↓": "v", "↔": "-", "▲": "^", "▶": ">", "‖": "|", "■": "#",
        "✓": "+", "·": ".", "•": "*", "…": "~", "—": "-", "–": "-", "−": "-", "×": "x", "≥": ">",
        "≤": "<", "≈": "~", "∇": "d", "η": "n", "μ": "u", "ρ": "p", "β": "b", "ε": "e", "λ": "l",
        "σ": "s", "Σ": "S", "ŷ": "y", "²": "2", "₁": "1", "₂": "2", "√": "V", "⊙": "*", "━": "-",
        "┄": ".", "‘": "'", "’": "'", "“": "\"", "”": "\"", "⠀": " ",
    ]

    static func symbol(_ s: String) -> String {
        if s.utf8.count == 1 { return s }
        if let mapped = table[s] { return mapped }
        guard let value = s.unicodeScalars.first?.value else { return "?" }
        switch value {
        case 0x2801...0x28FF: return "."                        // braille dots
        case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509: return "-"
        case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B: return "|"
        case 0x2500...0x257F: return "+"                        // other box drawing
        case 0x2580...0x259F: return "#"                        // block elements
        default: return "?"
        }
    }
}
