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

    /// This status as the console may use it: written by the learner's own process, so taken
    /// as untrusted — times and figures made finite and in range, texts cut, the curve's points
    /// pairs of finite numbers (at most `curvePoints`).
    public func sanitized() -> LearnerStatus {
        func time(_ t: Double) -> Double { t.isFinite ? min(max(t, 0), 1e10) : 0 }
        func figure(_ x: Double?) -> Double? { x.flatMap { $0.isFinite && abs($0) < 1e30 ? $0 : nil } }
        func text(_ t: String?) -> String? { t.map { String($0.prefix(200)) } }
        var s = self
        s.learner = String(learner.prefix(64))
        s.updated = time(updated)
        s.lastKey = time(lastKey)
        s.lesson = text(lesson)
        s.check = text(check)
        s.run = text(run)
        s.runState = text(runState)
        s.cell = cell.map { min(max($0, 0), 1_000_000) }
        s.cells = cells.map { min(max($0, 0), 1_000_000) }
        s.attempts = min(max(attempts, 0), 1_000_000_000)
        s.updates = min(max(updates, 0), 1 << 50)
        s.frames = max(frames, 0)
        s.loss = figure(loss)
        s.frameP99 = figure(frameP99)
        s.curve = Array(curve.filter { $0.count == 2 && $0.allSatisfy { $0.isFinite && abs($0) < 1e30 } }.prefix(Self.curvePoints))
        return s
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
    /// Where messages to one learner go: their own folder (the class's shared file is readable
    /// by every learner, so a message to one is not written there).
    public static func privateMessagesFolder(_ learnerFolder: String) -> String { learnerFolder + "/.descent" }

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

    /// A learner's status, as far as it can be used (`LearnerStatus.sanitized`).
    public static func readStatus(_ learnerFolder: String) -> LearnerStatus? {
        read(statusPath(learnerFolder), limit: 256 << 10).flatMap { try? JSONDecoder().decode(LearnerStatus.self, from: $0) }?.sanitized()
    }

    /// A learner's screen as text, if it is a plain file of a screen's size.
    public static func readScreen(_ learnerFolder: String) -> String? {
        read(screenPath(learnerFolder), limit: 1 << 20).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of `path` when it is a regular file (not a link, a pipe or a device) of at
    /// most `limit` bytes; nil otherwise. The console reads learners' files through this: a
    /// learner's folder is theirs to fill with anything.
    static func read(_ path: String, limit: Int) -> Data? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= limit else { return nil }
        var data = Data(count: Int(info.st_size))
        let count = data.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return data.prefix(count)
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
