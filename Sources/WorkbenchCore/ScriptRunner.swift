import Foundation
import CommandLanguage
import Models

/// Feeds commands to a session in order, waiting while a run trains: how notebooks, piped
/// input and `replay` run, so that a replay is deterministic.
///
/// Front ends call `pump()` repeatedly (with `session.poll()` between, which `pump` also does).
/// Lines typed at a screen's REPL skip the queue (`submit(typed:)`) and act at once on the live
/// run, except `replay` and `next`, which queue notebook cells.
public final class ScriptRunner {
    public let session: Session
    /// Stop at the first failure (notebooks) or carry on (piped input).
    public var stopOnFailure: Bool
    /// Every failure so far, `file:line:column: message`.
    public private(set) var failures: [String] = []
    /// A notebook opened for `next`, and the index of its next cell.
    public private(set) var lesson: (notebook: Notebook, next: Int)?
    /// The lesson cell `next` queued, until its commands and runs have ended: the lesson pane
    /// keeps showing its text (not the next cell's, which reads its results) meanwhile.
    public private(set) var runningCell: Int?

    /// Where `submit` writes (`submissions` in the current folder: the learner's, in a class).
    public var submissionsFolder = "submissions"

    /// Where `lessons` and `lesson N` find the lessons (front ends set the folder they found).
    public var lessonsFolder = URL(fileURLWithPath: "Notebooks")

    private var queue: [Result<Command, ParseError>] = []
    private var halted = false
    /// What the learner ran in each answer cell of the open lesson (an assignment), by cell index.
    public private(set) var answers: [Int: [String]] = [:]
    /// The answer cell being answered: the last cell `next` opened, when it is one.
    private var answering: Int?

    public init(session: Session, stopOnFailure: Bool = true) {
        self.session = session
        self.stopOnFailure = stopOnFailure
    }

    /// True when nothing is queued and no run is going.
    public var isIdle: Bool { queue.isEmpty && !session.isBusy }

    /// Queues the lines of a script (piped input, `descent run` of a plain file).
    public func enqueue(script text: String, file: String? = nil) {
        queue += parseScript(text, file: file)
    }

    /// Queues one line read from input, numbered as given.
    public func enqueue(line: String, number: Int, file: String? = nil) {
        do {
            if let c = try parseLine(line, line: number, file: file) { queue.append(.success(c)) }
        } catch {
            queue.append(.failure(error))
        }
    }

    /// Queues every cell of `notebook`.
    public func enqueue(notebook: Notebook) {
        for cell in notebook.cells { queue += cell.commands() }
    }

    /// Reads a notebook file, reporting a missing or unreadable file as a failure.
    public func load(_ path: String) -> Notebook? {
        do { try session.frontEnd.confinement?.check(path, writing: false) } catch {
            fail(error.description)
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("\(path): no such file (or it cannot be read)")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            fail("\(path): not UTF-8 text")
            return nil
        }
        let notebook = Notebook(parsing: text, fileName: path)
        if notebook.cells.isEmpty { session.say("\(path) has no ```descent cells", .warning) }
        return notebook
    }

    /// Opens a notebook as a lesson: `next` runs its cells one at a time, from a fresh set-up.
    public func open(_ notebook: Notebook) {
        lesson = (notebook, 0)
        session.bench.openLesson = notebook.fileName
        runningCell = nil
        answers = [:]
        answering = Self.answerCell(in: notebook, ran: -1)
        session.startFresh(for: "lesson \(notebook.title ?? notebook.fileName)")
    }

    /// The prose before the lesson's next cell (what a lesson pane shows), if a lesson is open.
    public var lessonCellIndex: Int? { lesson?.next }

    /// Runs a line the learner typed: at once, on the live session, unless it is `replay` or
    /// `next`, which queue notebook cells.
    @discardableResult
    public func submit(typed line: String) -> Bool {
        do {
            guard let c = try parseLine(line) else { return true }
            return submit(typed: c, source: line.trimmingCharacters(in: .whitespaces))
        } catch {
            session.say(error.description, .error)
            return false
        }
    }

    /// Runs a command the learner typed, parsed once by the front end.
    @discardableResult
    public func submit(typed command: Command, source: String) -> Bool {
        run(command, source: source, typed: true)
    }

    /// Executes queued commands while no run is going. Returns true when something ran.
    @discardableResult
    public func pump() -> Bool {
        session.poll()
        defer { if runningCell != nil && (isIdle || halted) { runningCell = nil } }
        var didWork = false
        while !halted, !session.isBusy, !queue.isEmpty {
            let next = queue.removeFirst()
            didWork = true
            switch next {
            case .success(let c):
                if !run(c, source: nil, typed: false) && stopOnFailure { halt() }
            case .failure(let e):
                fail(e.description)
                if stopOnFailure { halt() }
            }
            session.poll()
            if session.quitRequested { queue.removeAll() }
        }
        return didWork
    }

    private func halt() {
        halted = true
        queue.removeAll()
        session.shutDown()
    }

    private func run(_ c: Command, source: String?, typed: Bool) -> Bool {
        switch c.id {
        case .replay:
            guard let path = c.positional(0)?.text, let notebook = load(path) else { return false }
            session.startFresh(for: "replay \(path)")
            session.say("replaying \(path): \(notebook.cells.count) cell\(notebook.cells.count == 1 ? "" : "s")", .info)
            queue = notebook.cells.flatMap { $0.commands() } + queue
            halted = false
            return true
        case .lessons:
            let curriculum = Curriculum(folder: lessonsFolder)
            guard !curriculum.lessons.isEmpty else {
                session.say("lessons: no lessons in \(lessonsFolder.path)", .error)
                return false
            }
            session.say("lessons in \(lessonsFolder.path) (`lesson N` opens one):", .info)
            for l in curriculum.lessons { session.say(String(format: "%2d  ", l.number) + l.title, .table) }
            return true
        case .lesson:
            var path = c.positional(0)?.text
            if let number = c.positional(0)?.integer {
                guard let found = Curriculum(folder: lessonsFolder).lesson(number) else {
                    session.say("lesson \(number): no such lesson in \(lessonsFolder.path); `lessons` lists them", .error)
                    return false
                }
                path = found.file.path
            }
            guard let path, let notebook = load(path) else { return false }
            guard !notebook.cells.isEmpty else {
                session.say("lesson \(path): not a notebook (no ```descent cells), so there is nothing to step through", .error)
                return false
            }
            open(notebook)
            session.say("lesson \(notebook.title ?? path): \(notebook.cells.count) cell\(notebook.cells.count == 1 ? "" : "s"); `next` (F8 on the screen) runs the next one", .info)
            return true
        case .next:
            guard let (notebook, index) = lesson else {
                session.say("no lesson is open: `lessons` lists them, `lesson 1` opens the first", .error)
                return false
            }
            guard index < notebook.cells.count else {
                session.say("that was the last cell of \(notebook.fileName)", .info)
                return true
            }
            lesson = (notebook, index + 1)
            runningCell = index
            answering = Self.answerCell(in: notebook, ran: index)
            let last = index + 1 == notebook.cells.count
            session.say("cell \(index + 1)/\(notebook.cells.count) of \(notebook.fileName)"
                        + (notebook.cells[index].kind == .answer
                           ? " (your answer: its lines and what you run until the next `next`)"
                           : answering.map { " ran; cell \($0 + 1) is yours to answer: what you type now is your answer, `next` goes on" } ?? "")
                        + (last && !notebook.answerCells.isEmpty ? "; that was the last cell: `submit` hands in your answers" : ""), .info)
            // After whatever of the cells before is still queued (F8 pressed while one trains).
            queue += notebook.cells[index].commands()
            halted = false
            return true
        case .submit:
            return submitAnswers()
        case .seed, .data, .model, .loss, .optimizer, .regularize, .dropout, .batch, .schedule, .reset,
             .train, .cv, .compare, .lr, .pause, .resume, .stop, .step, .watch, .set, .undo, .show, .gradcheck, .ablate, .patch, .rewind, .runs, .note, .reopen,
             .expect, .save, .load, .predict, .generate, .serve, .export, .log, .record, .help, .theme, .clear, .quit:
            let ok = session.execute(c, source: source, scripted: !typed)
            if !ok { failures.append("\(c.location): \(c.description)") }
            // The learner's own commands (typed, or piped in), and the answer cell's own lines.
            if ok, let cell = answering, !c.traits.contains(.unrecorded),
               c.location.file != lesson?.notebook.fileName || isFromCell(c, cell) {
                answers[cell, default: []].append(source ?? c.description)
            }
            return ok
        }
    }

    /// The answer cell the learner is at after `next` ran cell `ran` (or before any, -1): that
    /// cell when it is one (its own lines ran), else the next cell when it is one (its prose is
    /// on the screen, asking for an answer); nil otherwise.
    static func answerCell(in notebook: Notebook, ran: Int) -> Int? {
        if ran >= 0, notebook.cells[ran].kind == .answer { return ran }
        let following = ran + 1
        return following < notebook.cells.count && notebook.cells[following].kind == .answer ? following : nil
    }

    /// Whether `c` is one of the open lesson's cell `index`'s lines.
    private func isFromCell(_ c: Command, _ index: Int) -> Bool {
        guard let notebook = lesson?.notebook, c.location.file == notebook.fileName else { return false }
        return notebook.cells[index].lines.contains { $0.number == c.location.line }
    }

    /// `submit`: the open assignment with each answer cell holding what the learner ran in it,
    /// written to `submissions/FILE.md` in the current folder.
    private func submitAnswers() -> Bool {
        guard let notebook = lesson?.notebook else {
            session.say("submit: no assignment is open: `lesson FILE.md` opens one", .error)
            return false
        }
        let cells = notebook.cells.indices.filter { notebook.cells[$0].kind == .answer }
        guard !cells.isEmpty else {
            session.say("submit: \(notebook.fileName) has no answer cells (```descent answer): it is a lesson, not an assignment", .error)
            return false
        }
        let name = URL(fileURLWithPath: notebook.fileName).lastPathComponent
        let path = submissionsFolder + "/" + name
        // A cell not answered this time keeps the answer submitted before (a new session that
        // opens the assignment and submits at once must not wipe earlier work).
        let earlier = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
            .map { Notebook(parsing: $0, fileName: path).answerCells }
        let kept = earlier?.count == cells.count ? earlier : nil
        var keptCount = 0
        let lines = cells.enumerated().map { i, cell -> [String] in
            if let answer = answers[cell] { return answer }
            if let previous = kept?[i].lines.map(\.text), previous.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                keptCount += 1
                return previous
            }
            return []
        }
        let unanswered = cells.filter { answers[$0] == nil }.count - keptCount
        let text = notebook.withAnswers(lines).rendered()
        do {
            try session.frontEnd.confinement?.check(path, writing: true)
            try FileManager.default.createDirectory(atPath: submissionsFolder, withIntermediateDirectories: true)
            try AtomicFile.write(text, to: path)
        } catch let error as DescentError {
            session.say("submit: \(error.description)", .error)
            return false
        } catch {
            session.say("submit: cannot make the folder \(submissionsFolder) (\(error.localizedDescription))", .error)
            return false
        }
        session.say("submitted \(path): \(cells.count - unanswered) of \(cells.count) answer cell\(cells.count == 1 ? "" : "s") answered"
                    + (keptCount > 0 ? " (\(keptCount) as submitted before)" : "")
                    + (unanswered > 0 ? "; `next` reaches the others, and `submit` again replaces this" : "; `submit` again replaces it"), .info)
        return true
    }

    private func fail(_ message: String) {
        failures.append(message)
        session.say(message, .error)
    }

    /// Pumps until the queue is empty and no run is going (headless front ends), or `timeout`
    /// seconds have passed; returns false on the timeout (tests bound every wait with it).
    @discardableResult
    public func runToCompletion(sleep seconds: Double = 0.002, timeout: Double = .infinity) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            pump()
            if isIdle || halted { session.poll(); return true }
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: seconds)
        }
    }
}
