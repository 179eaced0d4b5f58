import Foundation

/// The outcome of comparing text with a snapshot file.
public struct SnapshotResult: Equatable, Sendable, CustomStringConvertible {
    /// True only when the file existed and matched; recording is never a match.
    public let matched: Bool
    /// Why it did not match (a line diff, a missing file, a recording), or "matched".
    public let message: String

    /// Creates a result.
    public init(matched: Bool, message: String) {
        self.matched = matched
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Text snapshot files for screen tests: `expected` screens stored beside the tests.
///
/// Call from a test and check the result, e.g.
/// `let r = Snapshot.assertMatches(buffer.textDump(), named: "main-120x40", in: folder)`
/// then `#expect(r.matched, Comment(rawValue: r.message))`. With `RECORD_SNAPSHOTS=1` in the
/// environment the file is (re)written and the result is a failure saying so, so nothing is
/// accepted silently: rerun without the variable to check. Free of any test framework.
public enum Snapshot {
    /// Compares `text` with the file `named` (`.txt` added when it has no extension) in `folder`,
    /// or records it there when `record` is true.
    public static func assertMatches(
        _ text: String, named name: String, in folder: URL,
        record: Bool = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    ) -> SnapshotResult {
        let file = folder.appendingPathComponent(name.contains(".") ? name : name + ".txt")
        let normalized = text.hasSuffix("\n") ? text : text + "\n"
        if record {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try normalized.write(to: file, atomically: true, encoding: .utf8)
            } catch {
                return SnapshotResult(matched: false, message: "could not record \(file.path): \(error)")
            }
            return SnapshotResult(matched: false, message: "recorded \(file.path); rerun without RECORD_SNAPSHOTS")
        }
        guard let stored = try? String(contentsOf: file, encoding: .utf8) else {
            return SnapshotResult(matched: false,
                                  message: "no snapshot at \(file.path); run with RECORD_SNAPSHOTS=1 to record it")
        }
        if stored == normalized { return SnapshotResult(matched: true, message: "matched") }
        return SnapshotResult(matched: false, message: "snapshot \(file.path) differs (- stored, + actual):\n"
                              + lineDiff(from: stored, to: normalized))
    }

    /// A line diff: removed lines as `-NNN|text`, then added lines as `+NNN|text` (1-based line
    /// numbers in the old and the new text), at most `limit` lines of it.
    public static func lineDiff(from old: String, to new: String, limit: Int = 60) -> String {
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let difference = newLines.difference(from: oldLines)
        var output = difference.removals.compactMap { change -> (Int, String)? in
            guard case .remove(let offset, let line, _) = change else { return nil }
            return (offset, String(format: "-%03d|", offset + 1) + line)
        }.sorted { $0.0 < $1.0 }.map(\.1)
        output += difference.insertions.compactMap { change -> (Int, String)? in
            guard case .insert(let offset, let line, _) = change else { return nil }
            return (offset, String(format: "+%03d|", offset + 1) + line)
        }.sorted { $0.0 < $1.0 }.map(\.1)
        if output.count > limit { output = Array(output.prefix(limit)) + ["… \(output.count - limit) more"] }
        return output.joined(separator: "\n")
    }
}
