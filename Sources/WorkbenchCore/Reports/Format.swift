import Foundation

/// Numbers as a learner reads them: 4 significant digits, no exponent for ordinary sizes.
func fmt(_ x: Float) -> String { fmt(Double(x)) }

func fmt(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == 0 { return "0" }
    return String(format: "%.4g", x)
}

/// A whole number with thousands separators: 12,345.
func grouped(_ n: Int) -> String {
    let digits = String(abs(n))
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(c)
    }
    return (n < 0 ? "-" : "") + out
}

/// A rate like 12.3k/s, for timings.
func rate(_ perSecond: Double) -> String {
    if perSecond >= 1e9 { return String(format: "%.1fG", perSecond / 1e9) }
    if perSecond >= 1e6 { return String(format: "%.1fM", perSecond / 1e6) }
    if perSecond >= 1e3 { return String(format: "%.1fk", perSecond / 1e3) }
    return String(format: "%.0f", perSecond)
}

extension Session {
    /// Says a table's rows as `.table` lines (never wrapped on a screen).
    func sayTable(_ rows: [[String]], leftAligned: Set<Int> = []) {
        for line in table(rows, leftAligned: leftAligned) { say(line, .table) }
    }
}

/// Columns two spaces apart: the first and the `leftAligned` ones flush left, the others
/// (numbers) flush right.
func table(_ rows: [[String]], leftAligned: Set<Int> = []) -> [String] {
    guard let width = rows.map(\.count).max() else { return [] }
    let widths = (0..<width).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { c, cell in
            let pad = String(repeating: " ", count: widths[c] - cell.count)
            return c == 0 || leftAligned.contains(c) ? cell + pad : pad + cell
        }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
    }
}
