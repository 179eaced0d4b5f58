/// Assignments: a teacher's notebook whose cells are of three kinds, by their fence's info
/// string: ```` ```descent ```` (given: runs as written), ```` ```descent answer ```` (the
/// learner's to write: what they run while it is the current cell is their answer), and
/// ```` ```descent hidden ```` (the teacher's checks, left out of the copy handed out). Checks
/// are `expect` lines with `points=N`. A submission is the handed-out notebook with each answer
/// cell holding what the learner ran; grading takes only those answers from it and replays them
/// inside the teacher's copy, so nothing else a learner changes counts.
extension Notebook.Cell {
    public enum Kind: String, Sendable, Equatable {
        case given, answer, hidden
    }

    /// The cell's kind, from the second word of its fence's info string.
    public var kind: Kind {
        let words = openingFence.drop { $0 == "`" || $0 == "~" || $0 == " " }
            .split(whereSeparator: \.isWhitespace)
        return words.count > 1 ? Kind(rawValue: String(words[1])) ?? .given : .given
    }
}

extension Notebook {
    /// The answer cells, in order.
    public var answerCells: [Cell] { cells.filter { $0.kind == .answer } }

    /// The copy handed out to learners: every byte of the teacher's notebook but its hidden cells.
    public func handout() -> String {
        var kept = self
        kept.segments = segments.filter { segment in
            if case .cell(let cell) = segment, cell.kind == .hidden { return false }
            return true
        }
        return kept.rendered()
    }

    /// This notebook with its answer cells' lines replaced, in order, by `answers` (one list of
    /// command lines per answer cell; there must be as many).
    public func withAnswers(_ answers: [[String]]) -> Notebook {
        precondition(answers.count == answerCells.count, "one answer per answer cell")
        var copy = self
        var next = 0
        var lineNumber = 1
        copy.segments = segments.map { segment in
            guard case .cell(var cell) = segment, cell.kind == .answer else { return segment }
            let ending = cell.lines.first?.ending ?? "\n"
            cell.lines = answers[next].enumerated().map { i, text in Line(number: lineNumber + i, text: text, ending: ending.isEmpty ? "\n" : ending) }
            lineNumber += answers[next].count
            next += 1
            return .cell(cell)
        }
        // Line numbers as in the text it now renders to, so errors point at the right line.
        return Notebook(parsing: copy.rendered(), fileName: fileName)
    }
}
