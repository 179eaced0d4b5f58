import Foundation
import CommandLanguage
import Models

/// The front end without a screen: commands from a notebook or from standard input, output as
/// plain lines. What it prints is a function of the input and the seed, apart from figures
/// marked as timings (`[0.42 s, 12.3k updates/s]`), so two replays can be diffed.
public struct HeadlessFrontEnd {
    /// Where `lessons` and `lesson N` look (nil: `Notebooks` in the current folder).
    public var lessonsFolder: URL?
    /// Makes the model server `serve` starts (`descent` gives Hummingbird's).
    public var makeModelService: (@Sendable () -> any ModelService)?
    /// Gives each session its run store (`Session.keepRuns`); nil: runs are not kept.
    public var keepRuns: ((Session) -> Void)?
    /// A learner's workbench in a class (`descent --confine`), and the line that says so first.
    public var confinement: Confinement?
    public var note: String?

    public init(lessonsFolder: URL? = nil, makeModelService: (@Sendable () -> any ModelService)? = nil) {
        self.lessonsFolder = lessonsFolder
        self.makeModelService = makeModelService
    }

    /// Prints a line to standard output at once (progress must appear while a run trains).
    public static func printLine(_ line: OutputLine) {
        let prefix = line.kind == .error ? "error: " : ""
        FileHandle.standardOutput.write(Data((prefix + line.text + "\n").utf8))
    }

    /// Replays notebooks in order, stopping at the first failure (or after `timeout` seconds on
    /// one notebook). Returns the exit status.
    /// Without `keepRuns`, the runs are kept in a scratch store of the replay's own (lessons
    /// use the store: `runs tag`, `reopen @…`), deleted at its end.
    public func replay(_ paths: [String], timeout: Double = .infinity,
                       output: @escaping (OutputLine) -> Void = printLine) -> Int32 {
        let scratch = keepRuns == nil
            ? NSTemporaryDirectory() + "descent-replay-\(getpid())-\(UInt32.random(in: 0...UInt32.max))" : nil
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        for path in paths {
            let session = Session(output: output)
            session.frontEnd.makeModelService = makeModelService
            session.frontEnd.confinement = confinement
            if let scratch { session.keepRuns(at: scratch + "/runs.sqlite", build: "replay", scratch: true) } else { keepRuns?(session) }
            let runner = ScriptRunner(session: session, stopOnFailure: true)
            if let lessonsFolder { runner.lessonsFolder = lessonsFolder }
            guard let notebook = runner.load(path) else { return 1 }
            output(OutputLine(.info, "── \(path) ──"))
            runner.enqueue(notebook: notebook)
            if !runner.runToCompletion(timeout: timeout) {
                session.shutDown()
                output(OutputLine(.error, "\(path): did not finish within \(Int(timeout)) s"))
                return 1
            }
            session.shutDown()
            if !runner.failures.isEmpty {
                output(OutputLine(.error, "\(path): failed (\(runner.failures.count) error\(runner.failures.count == 1 ? "" : "s"))"))
                return 1
            }
        }
        return 0
    }

    /// Replays one notebook to the end whatever fails (grading: every check gets its chance),
    /// in a session with a scratch run store; returns every `expect` and how it came out, and
    /// whether it finished within `timeout` seconds.
    public func checks(of path: String, timeout: Double = .infinity,
                       output: @escaping (OutputLine) -> Void = printLine) -> (checks: [CheckOutcome], finished: Bool) {
        // In the confined folder when confined (the temporary folder is out of reach then).
        let base = confinement.map { $0.folder + "/" } ?? NSTemporaryDirectory()
        let scratch = base + ".descent-grade-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let session = Session(output: output)
        session.frontEnd.makeModelService = makeModelService
        session.frontEnd.confinement = confinement
        session.keepRuns(at: scratch + "/runs.sqlite", build: "grading", scratch: true)
        let runner = ScriptRunner(session: session, stopOnFailure: false)
        if let lessonsFolder { runner.lessonsFolder = lessonsFolder }
        guard let notebook = runner.load(path) else { return ([], true) }
        runner.enqueue(notebook: notebook)
        let finished = runner.runToCompletion(timeout: timeout)
        session.shutDown()
        return (session.checks, finished)
    }

    /// Reads commands line by line from standard input, each after the previous one (and its
    /// training) finished. Carries on after a failing command; the exit status is 1 if any failed.
    public func readCommands(prompt: Bool, output: @escaping (OutputLine) -> Void = printLine) -> Int32 {
        let session = Session(output: output)
        session.frontEnd.makeModelService = makeModelService
        session.frontEnd.confinement = confinement
        if let note { output(OutputLine(.info, note)) }
        keepRuns?(session)
        let runner = ScriptRunner(session: session, stopOnFailure: false)
        if let lessonsFolder { runner.lessonsFolder = lessonsFolder }
        var number = 0
        while !session.quitRequested {
            if prompt { FileHandle.standardOutput.write(Data("descent> ".utf8)) }
            guard let line = readLine(strippingNewline: true) else { break }
            number += 1
            runner.enqueue(line: line, number: number, file: "stdin")
            runner.runToCompletion()
        }
        session.shutDown()
        session.finishRecording()
        return runner.failures.isEmpty ? 0 : 1
    }
}
