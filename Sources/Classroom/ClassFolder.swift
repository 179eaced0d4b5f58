import Foundation
import CommandLanguage
import Models

/// A class on one machine, as a folder:
///
///     CLASS/
///       learners.txt          the roster: `NAME KEY-TYPE BASE64 [comment]`, one key a line
///       assignments/A.md      the teacher's copies (hidden checks included)
///       handout/A.md          what learners open: the same without the hidden cells
///       learners/NAME/        each learner's folder: their files, saved models, runs,
///         submissions/A.md    and what `submit` handed in
///       grades/               what `descent grade` wrote: gradebook.csv, gradebook.json, NAME.md
///
/// Every write is atomic (`AtomicFile`); every error names the file and what was expected.
public struct ClassFolder: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public var rosterPath: String { path + "/learners.txt" }
    public var assignmentsPath: String { path + "/assignments" }
    public var handoutPath: String { path + "/handout" }
    public var gradesPath: String { path + "/grades" }
    public func learnerPath(_ name: String) -> String { path + "/learners/" + name }
    public func submissionPath(_ learner: String, _ assignment: String) -> String {
        learnerPath(learner) + "/submissions/" + assignment + ".md"
    }

    // MARK: - Making one

    /// Makes the class folder (refused when `path` already holds a class or any file).
    public static func create(at path: String) throws(DescentError) -> ClassFolder {
        let fm = FileManager.default
        if fm.fileExists(atPath: path), !((try? fm.contentsOfDirectory(atPath: path))?.isEmpty ?? false) {
            throw DescentError("\(path): already exists and is not empty; a class starts in a new folder")
        }
        let folder = ClassFolder(path: path)
        do {
            for sub in ["assignments", "handout", "learners", "grades"] {
                try fm.createDirectory(atPath: path + "/" + sub, withIntermediateDirectories: true)
            }
        } catch {
            throw DescentError("\(path): cannot make the class folder (\(error.localizedDescription))")
        }
        try AtomicFile.write("# The class roster: one line per key, NAME KEY-TYPE BASE64 [comment].\n"
                             + "# `descent classroom add CLASS NAME KEY.pub` adds a learner.\n", to: folder.rosterPath)
        return folder
    }

    /// Opens an existing class folder (its roster must be there).
    public static func open(_ path: String) throws(DescentError) -> ClassFolder {
        guard FileManager.default.fileExists(atPath: path + "/learners.txt") else {
            throw DescentError("\(path): not a class folder (no learners.txt); `descent classroom init \(path)` makes one")
        }
        return ClassFolder(path: path)
    }

    // MARK: - The roster

    /// A learner's name: a letter, then letters, digits, `-` and `_` (it names their folder).
    public static func checkName(_ name: String) throws(DescentError) {
        guard let first = name.first, first.isASCII, first.isLetter, name.count <= 32,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw DescentError("learner name \"\(name)\": expected a letter, then letters, digits, - or _ (at most 32)")
        }
    }

    /// The roster's entries in file order; `line` errors name learners.txt and the line.
    public func roster() throws(DescentError) -> [(name: String, key: PublicKey)] {
        guard let data = FileManager.default.contents(atPath: rosterPath), let text = String(data: data, encoding: .utf8) else {
            throw DescentError("\(rosterPath): cannot be read")
        }
        var entries: [(String, PublicKey)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw DescentError("\(rosterPath):\(i + 1): expected NAME KEY-TYPE BASE64 [comment]") }
            do { try Self.checkName(parts[0]) } catch { throw DescentError("\(rosterPath):\(i + 1): \(error.description)") }
            do { entries.append((parts[0], try PublicKey(parts[1]))) } catch {
                throw DescentError("\(rosterPath):\(i + 1): \(error.description)")
            }
        }
        return entries
    }

    /// The learners' names, each once, in roster order.
    public func learners() throws(DescentError) -> [String] {
        var names: [String] = []
        for (name, _) in try roster() where !names.contains(name) { names.append(name) }
        return names
    }

    /// Adds `name` with the public key in `keyFile` (an OpenSSH `.pub` file) and makes their folder.
    /// A key already in the roster is refused (it would log in as two learners).
    public func add(_ name: String, keyFile: String) throws(DescentError) -> PublicKey {
        try Self.checkName(name)
        // Read through a handle: a pipe (`<(cat key.pub)`) has no size to read up to.
        guard let handle = FileHandle(forReadingAtPath: keyFile), let data = try? handle.readToEnd(),
              let text = String(data: data, encoding: .utf8) else {
            throw DescentError("\(keyFile): no such file (or it cannot be read)")
        }
        if text.contains("PRIVATE KEY") {
            throw DescentError("\(keyFile): a private key: give the learner's public key (the .pub file), and keep this one secret")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard lines.count == 1 else { throw DescentError("\(keyFile): expected one public key line, found \(lines.count)") }
        let key: PublicKey
        do { key = try PublicKey(lines[0]) } catch { throw DescentError("\(keyFile): \(error.description)") }
        let roster = try roster()
        if let owner = roster.first(where: { $0.key.blob == key.blob }) {
            throw DescentError("\(keyFile): this key is already \(owner.name)'s")
        }
        let existing = (FileManager.default.contents(atPath: rosterPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        try AtomicFile.write(existing + (existing.hasSuffix("\n") || existing.isEmpty ? "" : "\n") + "\(name) \(key.line)\n",
                             to: rosterPath)
        do {
            try FileManager.default.createDirectory(atPath: learnerPath(name) + "/submissions", withIntermediateDirectories: true)
        } catch {
            throw DescentError("\(learnerPath(name)): cannot be made (\(error.localizedDescription))")
        }
        return key
    }

    // MARK: - Assignments

    /// The assignments' names (file names without `.md`), sorted.
    public func assignments() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: assignmentsPath)) ?? [])
            .filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }

    /// The teacher's copy of assignment `name`.
    public func assignment(_ name: String) throws(DescentError) -> Notebook {
        try Self.notebook(at: assignmentsPath + "/" + name + ".md")
    }

    public static func notebook(at path: String) throws(DescentError) -> Notebook {
        guard let data = FileManager.default.contents(atPath: path) else { throw DescentError("\(path): no such file (or it cannot be read)") }
        guard let text = String(data: data, encoding: .utf8) else { throw DescentError("\(path): not UTF-8 text") }
        return Notebook(parsing: text, fileName: path)
    }

    /// Hands out the teacher's notebook at `file`: checked (every line parses, at least one
    /// answer cell, at least one check with points), copied to `assignments/` and, without its
    /// hidden cells, to `handout/`. Returns its name, its answer cells and its checks.
    public func assign(_ file: String) throws(DescentError) -> (name: String, answers: Int, checks: [Check], replaced: [Check]?) {
        let notebook = try Self.notebook(at: file)
        for cell in notebook.cells {
            for case .failure(let error) in cell.commands() { throw DescentError(error.description) }
        }
        guard !notebook.answerCells.isEmpty else {
            throw DescentError("\(file): no answer cell (```descent answer): a learner would have nothing to do")
        }
        let checks = Grading.checks(in: notebook)
        guard checks.contains(where: { $0.points > 0 }) else {
            throw DescentError("\(file): no check with points (`expect val.acc > 0.9 points=2` in a given or hidden cell)")
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let replaced = (try? assignment(name)).map(Grading.checks)
        try AtomicFile.write(notebook.rendered(), to: assignmentsPath + "/" + name + ".md")
        try AtomicFile.write(notebook.handout(), to: handoutPath + "/" + name + ".md")
        return (name, notebook.answerCells.count, checks, replaced)
    }
}
