import Foundation
import Models

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
