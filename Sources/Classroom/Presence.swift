import Foundation
import Models

/// What a learner's workbench in a class tells the teacher's console, once a second, in its
/// own folder (`learners/NAME/.descent/status.json`, and the screen as text in `screen.txt`):
/// where they are in the lesson, their last check, their current run. The console treats it as
/// the learner's word (their folder is theirs to write): it shows it, and grading never reads it.
public struct LearnerStatus: Codable, Equatable, Sendable {
    public var learner: String
    public var pid: Int32
    /// When this was written, and when the learner last pressed a key (Unix seconds).
    public var updated: Double
    public var lastKey: Double
    /// True in the last status a workbench writes as it ends.
    public var ended = false
    public var lesson: String?
    /// The lesson's next cell (1-based) and how many it has.
    public var cell: Int?
    public var cells: Int?
    /// The last `expect` run, whether it held, and how many times that check has been run.
    public var check: String?
    public var passed: Bool?
    public var attempts = 0
    /// The current run: its label, state, updates, last loss, and its loss over updates
    /// (at most `LearnerStatus.curvePoints` points, each `[update, loss]`).
    public var run: String?
    public var runState: String?
    public var updates = 0
    public var loss: Double?
    public var curve: [[Double]] = []
    /// The workbench's own frames: how many, and the 99th percentile of their time (ms).
    public var frames = 0
    public var frameP99: Double?

    public static let curvePoints = 120

    public init(learner: String, pid: Int32, updated: Double, lastKey: Double) {
        self.learner = learner
        self.pid = pid
        self.updated = updated
        self.lastKey = lastKey
    }

    /// Connected: written in the last few seconds by a workbench that has not ended.
    public func isConnected(now: Double) -> Bool { !ended && now - updated < 5 }
}

/// A message from the teacher's console: to everyone or one learner, and a lesson to open.
public struct ClassMessage: Codable, Equatable, Sendable {
    public var id: Int
    public var at: Double
    /// A learner's name, or nil for everyone.
    public var to: String?
    public var text: String
    /// `lesson` opens this for the learners it reaches (a lesson number or a handout's path).
    public var lesson: String?

    public init(id: Int, at: Double, to: String?, text: String, lesson: String? = nil) {
        self.id = id
        self.at = at
        self.to = to
        self.text = text
        self.lesson = lesson
    }

    public func reaches(_ learner: String) -> Bool { to == nil || to == learner }
}

/// The files presence goes through: written by replacing (a reader sees the old or the new
/// file whole), read tolerantly (a learner's file that does not parse is shown as unknown).
public enum PresenceFiles {
    public static func statusPath(_ learnerFolder: String) -> String { learnerFolder + "/.descent/status.json" }
    public static func screenPath(_ learnerFolder: String) -> String { learnerFolder + "/.descent/screen.txt" }
    public static func messagesPath(_ messagesFolder: String) -> String { messagesFolder + "/messages.jsonl" }

    /// Replaces `path` with `data` (write beside it, then rename): no fsync, since presence is
    /// rewritten every second and only its latest state matters.
    public static func replace(_ path: String, with data: Data) -> Bool {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else { return false }
        return rename(temporary, path) == 0
    }

    public static func readStatus(_ learnerFolder: String) -> LearnerStatus? {
        FileManager.default.contents(atPath: statusPath(learnerFolder)).flatMap { try? JSONDecoder().decode(LearnerStatus.self, from: $0) }
    }

    /// Appends `message` as one line (`O_APPEND`: whole lines, whoever else appends).
    public static func append(_ message: ClassMessage, to messagesFolder: String) throws(DescentError) {
        let path = messagesPath(messagesFolder)
        guard var line = try? JSONEncoder().encode(message) else { throw DescentError("the message cannot be written") }
        line.append(0x0A)
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DescentError("\(path): cannot be written (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw DescentError("\(path): the message was not written whole") }
    }

    /// The messages after byte `offset` of the file, and the offset after the last whole line.
    public static func messages(in messagesFolder: String, after offset: UInt64) -> (messages: [ClassMessage], offset: UInt64) {
        guard let handle = FileHandle(forReadingAtPath: messagesPath(messagesFolder)) else { return ([], offset) }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { return ([], offset) }
        guard let lastNewline = data.lastIndex(of: 0x0A) else { return ([], offset) }
        let whole = data[data.startIndex...lastNewline]
        let messages = whole.split(separator: 0x0A).compactMap { try? JSONDecoder().decode(ClassMessage.self, from: Data($0)) }
        return (messages, offset + UInt64(whole.count))
    }

    /// The size of the messages file now (a workbench starts reading after what was already sent).
    public static func messagesEnd(_ messagesFolder: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: messagesPath(messagesFolder)))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// The next message number: one more than the last one sent.
    public static func nextMessageID(_ messagesFolder: String) -> Int {
        (messages(in: messagesFolder, after: 0).messages.map(\.id).max() ?? 0) + 1
    }
}
