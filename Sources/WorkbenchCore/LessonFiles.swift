import Foundation
import CommandLanguage
import Models

/// Where a notebook's cells write files they name with a relative path (`save iris-model`,
/// `export keras model.py`): the learner's own lesson folder, never the notebook's folder (an
/// installed, maybe shared, copy) or a fixed system path another user may own. Typed and piped
/// commands, and plain scripts, write where the learner is (the current folder), as a shell would.
public enum LessonFiles {
    /// `$DESCENT_LESSON_FILES`, else `$XDG_DATA_HOME/descent/lessons`, else
    /// `~/.local/share/descent/lessons`.
    public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let given = environment["DESCENT_LESSON_FILES"], !given.isEmpty { return URL(fileURLWithPath: given) }
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".local/share")
        return data.appendingPathComponent("descent/lessons")
    }
}

extension Workbench {
    /// Where `c` writes the file it names `path`: inside the lesson folder when `c` comes from a
    /// notebook (a Markdown file) and `path` is relative (the folder is made on demand), else `path`.
    /// A confined workbench (a class) refuses a path outside the learner's folder.
    func outputPath(_ path: String, for c: Command) throws(DescentError) -> String {
        guard Self.fromNotebook(c), !path.hasPrefix("/"), !path.hasPrefix("~") else {
            try checkConfined(path, writing: true)
            return path
        }
        try checkConfined(frontEnd.lessonFiles.appendingPathComponent(path).path, writing: true)
        let target = frontEnd.lessonFiles.appendingPathComponent(path)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw DescentError("\(path): cannot make the lesson folder \(target.deletingLastPathComponent().path) (\(error.localizedDescription))")
        }
        return target.path
    }

    /// Whether `c` is a notebook's cell (not typed, piped or from a plain script).
    static func fromNotebook(_ c: Command) -> Bool { c.location.file?.hasSuffix(".md") == true }

    /// Where `c` reads the file it names `path`: what a notebook wrote to the lesson folder,
    /// else a file beside the notebook (a lesson's data travels with it), else `path`.
    /// A confined workbench (a class) refuses a path outside the learner's folder and the lessons.
    func inputPath(_ path: String, for c: Command) throws(DescentError) -> String {
        var found = SetUpCommands.resolved(path, for: c, lesson: openLesson)
        if Self.fromNotebook(c), !path.hasPrefix("/"), !path.hasPrefix("~") {
            let written = frontEnd.lessonFiles.appendingPathComponent(path).path
            if FileManager.default.fileExists(atPath: written) { found = written }
        }
        try checkConfined(found, writing: false)
        return found
    }
}
