/// A notebook: a Markdown file of prose for the learner and cells of commands.
///
/// A cell is a fenced code block whose info string starts with `descent`:
///
///     ```descent
///     seed 42
///     data spiral
///     ```
///
/// Everything else, including fenced blocks in other languages, is prose. Parsing keeps every
/// byte — line endings, trailing spaces, a missing final newline — so `rendered()` gives back
/// the text exactly, and each command line keeps its line number in the file.
public struct Notebook: Equatable, Sendable {
    /// One line inside a cell.
    public struct Line: Equatable, Sendable {
        /// The 1-based line number in the file.
        public var number: Int
        /// The line without its line ending.
        public var text: String
        /// `"\n"`, `"\r\n"`, or empty for a last line without one.
        public var ending: String
    }

    /// A `descent` fenced block.
    public struct Cell: Equatable, Sendable {
        /// The opening fence line as written, with its line ending.
        public var openingFence: String
        /// The lines between the fences.
        public var lines: [Line]
        /// The closing fence line as written, or nil when the file ends inside the cell.
        public var closingFence: String?
        /// The file the cell belongs to, for error locations.
        public var file: String?

        /// The cell's lines parsed as commands (blank and comment lines skipped); failures
        /// carry `file:line:column`.
        public func commands() -> [Result<Command, ParseError>] {
            var results: [Result<Command, ParseError>] = []
            for line in lines {
                do {
                    if let command = try parseLine(line.text, line: line.number, file: file) {
                        results.append(.success(command))
                    }
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// A stretch of prose or a cell.
    public enum Segment: Equatable, Sendable {
        /// Markdown text, kept verbatim with its line endings.
        case prose(String)
        /// A cell of commands.
        case cell(Cell)
    }

    /// The file name used in error locations, e.g. `lesson.md`.
    public var fileName: String
    /// Prose and cells in file order.
    public var segments: [Segment]

    /// The notebook `text`, read from `fileName`.
    public init(parsing text: String, fileName: String) {
        self.fileName = fileName
        self.segments = NotebookReader(text: text, file: fileName).segments()
    }

    /// The notebook's cells in order.
    public var cells: [Cell] {
        segments.compactMap { segment in
            if case .cell(let cell) = segment { return cell }
            return nil
        }
    }

    /// The text of the first `# ` heading in the prose, if any.
    public var title: String? {
        for case .prose(let text) in segments {
            for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("# ") {
                return NotebookReader.trimmed(line.dropFirst(2))
            }
        }
        return nil
    }

    /// The notebook as text: exactly the bytes it was parsed from.
    public func rendered() -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .prose(let text):
                out += text
            case .cell(let cell):
                out += cell.openingFence
                for line in cell.lines { out += line.text + line.ending }
                out += cell.closingFence ?? ""
            }
        }
        return out
    }
}
