import Foundation
import TerminalUI
import Models
import WorkbenchCore

/// The teacher's console (`descent classroom CLASS --teacher`): every learner in the roster,
/// connected or not, where they are in the lesson, their last check and how many times they
/// ran it, how long since their last key, their current run and loss; the loss curves of the
/// runs of everyone on the selected learner's lesson, overlaid; messages to everyone or one,
/// a lesson opened for everyone, and one learner's screen, read-only.
///
/// It reads what each learner's workbench writes (`LearnerPresence`) and writes only messages.
@MainActor
public final class TeacherConsole: TerminalApplication {
    public let classFolder: ClassFolder
    let messagesFolder: String
    let clock: () -> Double
    public private(set) var learners: [String] = []
    public private(set) var statuses: [String: LearnerStatus] = [:]
    public var selected = 0
    /// The learner whose screen is shown instead of the class, if any.
    public private(set) var looking: String?
    private var lookedScreen = ""
    private var lastRead = -Double.infinity
    /// What the console said last (a command's answer or error).
    public private(set) var note = "Up/Down select · Enter looks at a screen · `help` lists the commands"
    private var noteIsError = false
    public private(set) var wantsToQuit = false
    public var context = RenderContext()

    /// The commands, each once: the word, its form, what it does.
    public static let commands: [(word: String, form: String, does: String)] = [
        ("say", "say TEXT", "a message to every learner"),
        ("tell", "tell NAME TEXT", "a message to one learner"),
        ("open", "open LESSON", "open a lesson (a number, or an assignment's name) for everyone"),
        ("look", "look NAME", "that learner's screen, read-only (Esc returns)"),
        ("back", "back", "the class again"),
        ("help", "help", "these commands"),
        ("quit", "quit", "close the console (the class goes on)"),
    ]

    /// Where Descent's lessons are (`open 3` opens lesson 3 from there).
    let lessonsFolder: URL?

    public init(classFolder: ClassFolder, messagesFolder: String, lessonsFolder: URL?,
                clock: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.classFolder = classFolder
        self.lessonsFolder = lessonsFolder
        self.messagesFolder = messagesFolder
        self.clock = clock
        refresh()
    }

    /// Reads the roster and every learner's status again.
    public func refresh() {
        lastRead = clock()
        learners = (try? classFolder.learners()) ?? learners
        statuses = [:]
        for name in learners {
            if let status = PresenceFiles.readStatus(classFolder.learnerPath(name)) { statuses[name] = status }
        }
        selected = min(selected, max(learners.count - 1, 0))
        if let looking {
            lookedScreen = PresenceFiles.readScreen(classFolder.learnerPath(looking)) ?? "(\(looking) has not opened a workbench yet)"
        }
    }

    // MARK: - Input

    public func handle(_ key: Key, input: InputLine) -> Bool {
        switch key {
        case .up where looking == nil: selected = max(selected - 1, 0); return true
        case .down where looking == nil: selected = min(selected + 1, max(learners.count - 1, 0)); return true
        case .escape: looking = nil; return true
        case .enter where input.text.isEmpty && looking == nil && learners.indices.contains(selected):
            look(learners[selected]); return true
        default: return false
        }
    }

    public func submit(_ line: String) {
        let words = line.split(separator: " ", maxSplits: 1).map(String.init)
        guard let word = words.first else { return }
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        do throws(DescentError) {
            switch word {
            case "say":
                guard !rest.isEmpty else { throw DescentError("say: expected the message, e.g. `say try a smaller lr`") }
                try send(ClassMessage(id: 0, at: clock(), to: nil, text: rest))
                say("sent to everyone: \(rest)")
            case "tell":
                let parts = rest.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw DescentError("tell: expected a learner and the message, e.g. `tell ada look at the val loss`") }
                try checkLearner(parts[0], for: "tell")
                try send(ClassMessage(id: 0, at: clock(), to: parts[0], text: parts[1]))
                say("sent to \(parts[0]): \(parts[1])")
            case "open":
                guard !rest.isEmpty else { throw DescentError("open: expected a lesson number or an assignment's name (\(classFolder.assignments().joined(separator: ", ")))") }
                let lesson: String
                if rest.allSatisfy(\.isNumber) {
                    guard let number = Int(rest), let lessonsFolder, Curriculum(folder: lessonsFolder).lesson(number) != nil else {
                        throw DescentError("open \(rest): no such lesson (\(lessonNumbers))")
                    }
                    lesson = rest
                } else if classFolder.assignments().contains(rest) {
                    lesson = URL(fileURLWithPath: classFolder.handoutPath + "/" + rest + ".md").standardizedFileURL.path
                } else {
                    throw DescentError("open \(rest): not a lesson number nor an assignment (\(classFolder.assignments().joined(separator: ", ")))")
                }
                try send(ClassMessage(id: 0, at: clock(), to: nil, text: "", lesson: lesson))
                say("opened \(rest) for everyone connected")
            case "look":
                try checkLearner(rest, for: "look")
                look(rest)
            case "back": looking = nil
            case "help": say(Self.commands.map { $0.form }.joined(separator: " · "))
            case "quit", "exit": wantsToQuit = true
            default:
                throw DescentError("\(word): not a console command; they are " + Self.commands.map(\.word).joined(separator: ", "))
            }
        } catch {
            note = error.description
            noteIsError = true
        }
    }

    /// The lessons' numbers, for an error.
    private var lessonNumbers: String {
        guard let lessonsFolder else { return "Descent's lessons were not found" }
        let numbers = Curriculum(folder: lessonsFolder).lessons.map(\.number)
        return numbers.isEmpty ? "no lessons in \(lessonsFolder.path)" : "lessons \(numbers.min()!)–\(numbers.max()!)"
    }

    private func say(_ text: String) {
        note = text
        noteIsError = false
    }

    private func checkLearner(_ name: String, for command: String) throws(DescentError) {
        guard learners.contains(name) else {
            throw DescentError("\(command) \(name): not a learner of this class (\(learners.joined(separator: ", ")))")
        }
    }

    /// Appends `message` to the class's file (to everyone) or to the learner's own (to one).
    private func send(_ message: ClassMessage) throws(DescentError) {
        var message = message
        let folder = message.to.map { PresenceFiles.privateMessagesFolder(classFolder.learnerPath($0)) } ?? messagesFolder
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw DescentError("\(folder): cannot be made (\(error.localizedDescription))")
        }
        message.id = PresenceFiles.nextMessageID(folder)
        try PresenceFiles.append(message, to: folder)
    }

    private func look(_ name: String) {
        looking = name
        refresh()
        say("\(name)'s screen, read-only: Esc or `back` returns")
    }

    public func interrupt(input: InputLine) -> Bool {
        if looking != nil { looking = nil; return false }
        return input.text.isEmpty
    }

    public func completions(for line: String, cursor: Int) -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.count <= 1 { return Self.commands.map(\.word).filter { $0.hasPrefix(line) } }
        if ["tell", "look"].contains(words[0]), words.count == 2 { return learners.filter { $0.hasPrefix(words[1]) } }
        if words[0] == "open", words.count == 2 { return classFolder.assignments().filter { $0.hasPrefix(words[1]) } }
        return []
    }

    public func showCompletions(_ candidates: [String]) { say(candidates.joined(separator: "  ")) }
    public func tick() { if clock() - lastRead >= 1 { refresh() } }
    public func shutDown() {}
    public func terminalStarted(colors: Int, unicode: Bool) {
        context = RenderContext(theme: colors >= 8 ? .builtInDefault : .builtInMono, glyphs: unicode ? .unicode : .ascii)
    }

    // MARK: - Drawing

    /// The learners' table rows, as the console shows them.
    public func rows(now: Double) -> [[String]] {
        learners.map { name in
            let handedIn = handedIn(name)
            guard let s = statuses[name] else { return [name, "○", "never connected", "", "", "", "", handedIn] }
            let connected = s.isConnected(now: now)
            let lesson = s.lesson.map { l in "\(l)" + (s.cell.map { " · cell \($0)/\(s.cells ?? 0)" } ?? "") } ?? "no lesson open"
            let check = s.check.map { "\(s.passed == true ? "✓" : "✗") \($0)" + (s.attempts > 1 ? " ×\(s.attempts)" : "") } ?? ""
            let idle = connected ? Self.duration(now - s.lastKey) : "left " + Self.duration(now - s.updated) + " ago"
            let run = s.run.map { "\($0) \(s.runState ?? "") · \(s.updates) updates" } ?? ""
            let loss = s.loss.map { Self.number($0) } ?? ""
            return [name, connected ? "●" : "○", lesson, check, idle, run, loss, handedIn]
        }
    }

    public func render(into buffer: inout Buffer, input: InputLine) -> (x: Int, y: Int)? {
        let width = buffer.width, height = buffer.height
        buffer.fill(Rect(x: 0, y: 0, width: width, height: height))
        let theme = context.theme
        let now = clock()
        let connected = learners.filter { statuses[$0]?.isConnected(now: now) == true }.count
        _ = buffer.write("Descent classroom · \(learners.count) learner\(learners.count == 1 ? "" : "s"), \(connected) connected · "
                         + URL(fileURLWithPath: classFolder.path).lastPathComponent,
                         x: 0, y: 0, style: theme.style("status.bar"), maxWidth: width)
        let body = Rect(x: 0, y: 1, width: width, height: max(height - 3, 0))
        if let looking {
            // The learner's screen as it is, full width; when it is taller than the room here,
            // its top rows go (the REPL and the status bar at its bottom say the most).
            var rows = lookedScreen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if rows.last == "" { rows.removeLast() }
            let cut = max(0, rows.count - body.height)
            for (i, row) in rows.dropFirst(cut).enumerated() {
                _ = buffer.write(row, x: 0, y: body.y + i, style: theme.style("text"), maxWidth: width)
            }
            _ = buffer.write(" \(looking)'s screen, read-only" + (cut > 0 ? " (its top \(cut) row\(cut == 1 ? "" : "s") cut)" : "") + " · Esc returns ",
                             x: max(0, width - 60), y: 0, style: theme.style("accent"), maxWidth: 60)
        } else {
            let tableHeight = min(learners.count + 3, max(body.height / 2, 5))
            let tableArea = Rect(x: 0, y: body.y, width: width, height: min(tableHeight, body.height))
            let block = Block(title: "Learners")
            block.render(into: &buffer, area: tableArea, context: context)
            let inner = block.inner(tableArea)
            let scroll = max(0, selected - (inner.height - 2))
            Table(header: ["learner", "", "lesson", "last check", "idle", "run", "loss", "submitted"], rows: rows(now: now),
                  alignments: [.left, .left, .left, .left, .right, .left, .right, .left], highlightedRow: learners.isEmpty ? nil : selected,
                  scroll: scroll).render(into: &buffer, area: inner, context: context)
            let chartArea = Rect(x: 0, y: tableArea.y + tableArea.height, width: width,
                                 height: max(body.height - tableArea.height, 0))
            renderCurves(into: &buffer, area: chartArea, now: now)
        }
        _ = buffer.write(note, x: 0, y: height - 2, style: theme.style(noteIsError ? "error" : "text.dim"), maxWidth: width)
        let prompt = "teacher> "
        _ = buffer.write(prompt, x: 0, y: height - 1, style: theme.style("repl.prompt"), maxWidth: width)
        _ = buffer.write(input.text, x: prompt.count, y: height - 1, style: theme.style("repl.input"), maxWidth: max(width - prompt.count, 0))
        return (min(prompt.count + input.cursor, max(width - 1, 0)), max(height - 1, 0))
    }

    /// The loss of the current run of everyone on the selected learner's lesson, one colour each.
    private func renderCurves(into buffer: inout Buffer, area: Rect, now: Double) {
        guard area.height >= 4 else { return }
        let lesson = learners.indices.contains(selected) ? statuses[learners[selected]]?.lesson : nil
        let shown = learners.enumerated().compactMap { index, name -> (Int, String, LearnerStatus)? in
            guard let s = statuses[name], s.lesson == lesson, !s.curve.isEmpty else { return nil }
            return (index, name, s)
        }
        let theme = context.theme
        var title = [Span("Loss · " + (lesson ?? "no lesson") + " ", theme.style("pane.title"))]
        for (index, name, _) in shown { title.append(Span(name + " ", theme.style("class.\(index % 10)"))) }
        let block = Block(titleSpans: title)
        block.render(into: &buffer, area: area, context: context)
        guard !shown.isEmpty else {
            Paragraph("no run on this lesson yet", style: theme.style("text.dim")).render(into: &buffer, area: block.inner(area), context: context)
            return
        }
        let series = shown.map { index, _, s in
            LineChart.Series(s.curve.map { (x: $0[0], y: $0[1]) }, style: theme.style("class.\(index % 10)"))
        }
        LineChart(series: series).render(into: &buffer, area: block.inner(area), context: context)
    }

    /// The assignments `name` has submitted, by name.
    func handedIn(_ name: String) -> String {
        ((try? FileManager.default.contentsOfDirectory(atPath: classFolder.learnerPath(name) + "/submissions")) ?? [])
            .filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted().joined(separator: " ")
    }

    static func duration(_ seconds: Double) -> String {
        let s = seconds.isFinite ? Int(min(max(seconds, 0), 1e9)) : 0
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }

    static func number(_ value: Double) -> String {
        value.magnitude >= 1000 || (value != 0 && value.magnitude < 0.001) ? String(format: "%.3g", value) : String(format: "%.4f", value)
    }
}
