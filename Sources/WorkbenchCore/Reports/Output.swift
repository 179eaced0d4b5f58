import Foundation

/// One line a command or a running training prints.
public struct OutputLine: Equatable, Sendable, Codable {
    public enum Kind: String, Equatable, Sendable, Codable {
        /// The echo of a command or an informational note.
        case info
        /// A result: a metric, an explanation.
        case result
        /// A row of a table (or a band of digit pictures): a screen never wraps it, it cuts it
        /// at the pane's edge and says so (zooming shows it whole).
        case table
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
