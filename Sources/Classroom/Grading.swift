import Foundation
import CommandLanguage
import Models
import WorkbenchCore

/// A check of an assignment: an `expect` line in a given or hidden cell, with what it is worth.
public struct Check: Sendable, Equatable, Codable {
    /// Its line in the graded notebook (the teacher's copy with the learner's answers in).
    public var line: Int
    /// As written, without `expect`.
    public var text: String
    public var points: Double
    /// In a hidden cell: the learner never saw it.
    public var hidden: Bool
}

/// One check of one learner's submission as grading found it.
public struct GradedCheck: Sendable, Equatable, Codable {
    public var learner: String
    public var assignment: String
    public var check: String
    public var hidden: Bool
    public var passed: Bool
    public var points: Double
    public var possible: Double
    /// The figure the replay saw (`val.acc = 0.9667`), or why there is none.
    public var seen: String
}

/// What a graded replay wrote back: every check as it came out, and the errors it hit (a
/// refused file, a mistyped command), which the learner's report lists.
public struct ReplayResult: Codable, Sendable, Equatable {
    public var checks: [CheckOutcome]
    public var errors: [String]

    public init(checks: [CheckOutcome], errors: [String]) {
        self.checks = checks
        self.errors = errors
    }
}

/// Grading by replay: the teacher's copy with only the learner's answers taken from their
/// submission, replayed in a fresh process (outputs computed again, never read from the file);
/// each check of a given or hidden cell earns its points when it held.
public enum Grading {
    /// The checks of `notebook`'s given and hidden cells (answer cells' `expect`s count for nothing).
    public static func checks(in notebook: Notebook) -> [Check] {
        var checks: [Check] = []
        for cell in notebook.cells where cell.kind != .answer {
            for case .success(let c) in cell.commands() where c.id == .expect {
                checks.append(Check(line: c.location.line, text: c.description.replacingOccurrences(of: "expect ", with: ""),
                                    points: c.number("points") ?? 0, hidden: cell.kind == .hidden))
            }
        }
        return checks
    }

    /// The notebook to replay: `teacher` with each answer cell holding the lines of the same
    /// answer cell of `submission`. A submission with another number of answer cells is refused
    /// (it is not this assignment as handed out).
    public static func notebook(teacher: Notebook, submission: Notebook, fileName: String) throws(DescentError) -> Notebook {
        let answers = submission.answerCells
        guard answers.count == teacher.answerCells.count else {
            throw DescentError("\(submission.fileName): \(answers.count) answer cell\(answers.count == 1 ? "" : "s"); "
                               + "the assignment has \(teacher.answerCells.count): not the notebook handed out")
        }
        var graded = teacher.withAnswers(answers.map { $0.lines.map(\.text) })
        graded.fileName = fileName
        return Notebook(parsing: graded.rendered(), fileName: fileName)
    }

    /// Each check of `graded` with how the replay's `outcomes` found it: by its line; a check
    /// the replay never reached (it stopped, or ran out of time or memory) failed with `why`.
    public static func grade(_ graded: Notebook, outcomes: [CheckOutcome], learner: String, assignment: String,
                             unreached why: String = "not reached") -> [GradedCheck] {
        checks(in: graded).map { check in
            let outcome = outcomes.last { Int($0.location.split(separator: ":").last ?? "") == check.line }
            let passed = outcome?.passed ?? false
            return GradedCheck(learner: learner, assignment: assignment, check: check.text, hidden: check.hidden, passed: passed,
                               points: passed ? check.points : 0, possible: check.points, seen: outcome?.seen ?? why)
        }
    }

    /// Every check of a learner's missing submission: nothing earned.
    public static func missing(_ teacher: Notebook, learner: String, assignment: String) -> [GradedCheck] {
        checks(in: teacher).map {
            GradedCheck(learner: learner, assignment: assignment, check: $0.text, hidden: $0.hidden, passed: false,
                        points: 0, possible: $0.points, seen: "no submission")
        }
    }

    // MARK: - The gradebook

    /// One row per check: learner, assignment, check, hidden, passed, points, possible, seen.
    public static func csv(_ rows: [GradedCheck]) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        return (["learner,assignment,check,hidden,passed,points,possible,seen"] + rows.map { r in
            [r.learner, r.assignment, field(r.check), String(r.hidden), String(r.passed), number(r.points), number(r.possible),
             field(r.seen)].joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }

    public static func json(_ rows: [GradedCheck]) throws(DescentError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n" } catch {
            throw DescentError("cannot write the gradebook: \(error)")
        }
    }

    /// A learner's report: each assignment's checks, ✓ or ✗, the figure seen, the points.
    public static func report(_ rows: [GradedCheck], learner: String, errors: [String: [String]] = [:]) -> String {
        var out = "# \(learner)\n"
        let mine = rows.filter { $0.learner == learner }
        var assignments: [String] = []
        for r in mine where !assignments.contains(r.assignment) { assignments.append(r.assignment) }
        for a in assignments {
            let checks = mine.filter { $0.assignment == a }
            out += "\n## \(a): \(number(checks.reduce(0) { $0 + $1.points })) of \(number(checks.reduce(0) { $0 + $1.possible })) points\n\n"
            for c in checks {
                out += "- \(c.passed ? "✓" : "✗") `expect \(c.check)`\(c.hidden ? " (hidden)" : ""): \(c.seen) — "
                    + "\(number(c.points))/\(number(c.possible))\n"
            }
            if let hit = errors[a], !hit.isEmpty {
                out += "\nThe replay reported \(hit.count == 1 ? "an error" : "\(hit.count) errors"):\n\n"
                for e in hit.prefix(20) { out += "    \(e)\n" }
            }
        }
        return out
    }

    static func number(_ x: Double) -> String { csvNumber(x) }

    /// `2` for 2.0, `1.5` for 1.5: points as a teacher writes them.
    public static func csvNumber(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}
