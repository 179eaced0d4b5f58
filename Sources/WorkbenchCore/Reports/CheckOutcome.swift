import CommandLanguage

/// One `expect` as it came out: what it checked, where, whether it held, the figure it saw (or
/// why it could not look), and the points it is worth (`points=N`; 0 without). Grading a
/// submission reads these from the replay (`descent grade`).
public struct CheckOutcome: Codable, Equatable, Sendable {
    /// The check as written, without `expect` (`val.acc > 0.9 points=2`).
    public var check: String
    /// `file:line` of the check, or empty when typed.
    public var location: String
    public var passed: Bool
    public var seen: String
    public var points: Double

    public init(check: String, location: String, passed: Bool, seen: String, points: Double) {
        self.check = check
        self.location = location
        self.passed = passed
        self.seen = seen
        self.points = points
    }
}

extension Workbench {
    /// Notes how `expect` command `c` came out.
    func noteCheck(_ c: Command, passed: Bool, seen: String) {
        let place = c.location.file.map { "\($0):\(c.location.line)" } ?? ""
        checks.append(CheckOutcome(check: c.description.replacingOccurrences(of: "expect ", with: ""), location: place,
                                   passed: passed, seen: seen, points: c.number("points") ?? 0))
    }
}
