import Foundation
import TerminalUI
import WorkbenchUI
import WorkbenchCore

/// A learner's workbench in a class: the workbench itself, plus, once a second, its status and
/// its screen as text in the learner's folder (for the teacher's console), and the teacher's
/// messages shown in the REPL (a lesson the teacher opens for everyone opens here too).
@MainActor
public final class LearnerPresence: TerminalApplication {
    public let app: WorkbenchApp
    public let learner: String
    let folder: String
    let messagesFolder: String?
    let clock: () -> Double
    private var messagesOffset: UInt64
    private var privateOffset: UInt64
    private var lastWrite = -Double.infinity
    private var lastKey: Double
    private var lastInput: InputLine?
    private var lastScreen = ""
    private var frameTimes: [Double] = []
    private var frameCount = 0
    private var frameStart: Double?

    /// `folder` is the learner's (where presence is written); `messagesFolder` the class's.
    public init(app: WorkbenchApp, learner: String, folder: String, messagesFolder: String?,
                clock: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.app = app
        self.learner = learner
        self.folder = folder
        self.messagesFolder = messagesFolder
        self.clock = clock
        lastKey = clock()
        messagesOffset = messagesFolder.map(PresenceFiles.messagesEnd) ?? 0
        privateOffset = PresenceFiles.messagesEnd(PresenceFiles.privateMessagesFolder(folder))
    }

    public func handle(_ key: Key, input: InputLine) -> Bool { lastKey = clock(); return app.handle(key, input: input) }
    public func submit(_ line: String) { lastKey = clock(); app.submit(line) }
    public func interrupt(input: InputLine) -> Bool { lastKey = clock(); return app.interrupt(input: input) }
    public func completions(for line: String, cursor: Int) -> [String] { app.completions(for: line, cursor: cursor) }
    public func showCompletions(_ candidates: [String]) { app.showCompletions(candidates) }
    public var wantsToQuit: Bool { app.wantsToQuit }
    public func terminalStarted(colors: Int, unicode: Bool) { app.terminalStarted(colors: colors, unicode: unicode) }

    public func tick() {
        frameStart = clock()
        app.tick()
    }

    public func render(into buffer: inout Buffer, input: InputLine) -> (x: Int, y: Int)? {
        let cursor = app.render(into: &buffer, input: input)
        let now = clock()
        if let start = frameStart {
            frameTimes.append((now - start) * 1000)
            if frameTimes.count > 1800 { frameTimes.removeFirst(frameTimes.count - 1800) }
            frameCount += 1
            frameStart = nil
        }
        if input != lastInput { lastInput = input; lastKey = now }
        if now - lastWrite >= 1 {
            lastWrite = now
            readMessages()
            write(status(now: now), screen: buffer.textDump())
        }
        return cursor
    }

    public func shutDown() {
        app.shutDown()
        var last = status(now: clock())
        last.ended = true
        write(last, screen: nil)
    }

    /// What the console shows of this learner now.
    public func status(now: Double) -> LearnerStatus {
        var status = LearnerStatus(learner: learner, pid: getpid(), updated: now, lastKey: lastKey)
        if let lesson = app.runner.lesson {
            status.lesson = lesson.notebook.title ?? URL(fileURLWithPath: lesson.notebook.fileName).lastPathComponent
            status.cell = min(lesson.next + 1, lesson.notebook.cells.count)
            status.cells = lesson.notebook.cells.count
        }
        let checks = app.session.checks
        if let last = checks.last {
            status.check = last.check
            status.passed = last.passed
            status.attempts = checks.filter { $0.check == last.check }.count
        }
        if let run = app.session.display.currentRun {
            status.run = run.label
            status.runState = run.status.rawValue
            status.updates = run.updates
            status.loss = run.lossHistory.last.map(Double.init)
            let buckets = run.lossHistory.buckets
            let stride = max(1, (buckets.count + LearnerStatus.curvePoints - 1) / LearnerStatus.curvePoints)
            status.curve = Swift.stride(from: 0, to: buckets.count, by: stride).map {
                [Double(buckets[$0].firstIndex + 1), Double(buckets[$0].mean)]
            }.filter { $0[1].isFinite }
        }
        status.frames = frameCount
        if !frameTimes.isEmpty {
            let sorted = frameTimes.sorted()
            status.frameP99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        }
        return status
    }

    private func write(_ status: LearnerStatus, screen: String?) {
        if let data = try? JSONEncoder().encode(status) {
            _ = PresenceFiles.replace(PresenceFiles.statusPath(folder), with: data)
        }
        if let screen, screen != lastScreen {
            lastScreen = screen
            _ = PresenceFiles.replace(PresenceFiles.screenPath(folder), with: Data(screen.utf8))
        }
    }

    /// Shows the teacher's new messages for this learner; opens the lesson one names.
    func readMessages() {
        guard let messagesFolder else { return }
        let (shared, offset) = PresenceFiles.messages(in: messagesFolder, after: messagesOffset)
        messagesOffset = offset
        let (own, ownOffset) = PresenceFiles.messages(in: PresenceFiles.privateMessagesFolder(folder), after: privateOffset)
        privateOffset = ownOffset
        for message in (shared + own).sorted(by: { $0.at < $1.at }) where message.reaches(learner) {
            if !message.text.isEmpty {
                app.session.output(OutputLine(.warning, "message from the teacher\(message.to == nil ? "" : " (to you)"): \(message.text)"))
            }
            if let lesson = message.lesson {
                app.session.output(OutputLine(.info, "the teacher opens a lesson for the class:"))
                app.submit("lesson " + (lesson.allSatisfy(\.isNumber) ? lesson : "\"\(lesson)\""))
            }
        }
    }
}
