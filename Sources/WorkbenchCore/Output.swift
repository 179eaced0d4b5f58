import Foundation

/// One line a command or a running training prints.
public struct OutputLine: Equatable, Sendable, Codable {
    public enum Kind: String, Equatable, Sendable, Codable {
        /// The echo of a command or an informational note.
        case info
        /// A result: a table row, a metric, an explanation.
        case result
        /// Training progress (epoch lines); a screen may show these in a chart instead.
        case progress
        /// A live change was applied (lr, momentum, batch, pace, pause/resume).
        case change
        /// Something went wrong but nothing failed (e.g. a diverged run paused itself).
        case warning
        /// A command failed; the session is as it was before the command.
        case error
    }

    public var kind: Kind
    public var text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}

/// A command that could not run. Nothing in the session changed.
public struct SessionError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

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
    if perSecond >= 1e6 { return String(format: "%.1fM", perSecond / 1e6) }
    if perSecond >= 1e3 { return String(format: "%.1fk", perSecond / 1e3) }
    return String(format: "%.0f", perSecond)
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
