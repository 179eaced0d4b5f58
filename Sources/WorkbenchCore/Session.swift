import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import CommandLanguage

/// Everything a learner has set up — data, model, loss, optimizer, settings, runs — and the
/// interpreter of commands over it.
///
/// A session belongs to one thread (the front end's). `execute` never blocks: `train` starts a
/// background run and returns; `poll()` collects what the run reported since the last call.
/// Whether a later command waits for the run is the caller's choice: `ScriptRunner` (notebooks,
/// piped input) waits, a screen's REPL does not. All output goes to `output`.
public final class Session {
    /// Where every line goes: printed headless, appended to the REPL pane on the screen.
    public var output: (OutputLine) -> Void

    // MARK: Settings
    public internal(set) var seed: UInt64 = 42
    var rng = SeededGenerator(seed: 42)
    public internal(set) var data: DataState?
    public internal(set) var modelSpec: ModelSpec?
    public internal(set) var lossOverride: String?
    public internal(set) var optimizerName = "adam"
    public internal(set) var optimizerOptions: [String: Float] = [:]
    public internal(set) var regularizer: Regularizer?
    public internal(set) var dropout: Float?
    /// Samples per update; nil is the full batch.
    public internal(set) var batchSize: Int? = 32
    public internal(set) var schedule: Schedule = .constant
    var scheduleEveryEpochs: Int?
    public internal(set) var watchTarget: WatchTarget?
    /// Updates per second the learner chose with `set pace` (0 = max); nil until then.
    public internal(set) var explicitPace: Double?
    /// The clock runs read (monotonic seconds); tests give a fixed one so output has no timings.
    public var runClock: @Sendable () -> Double = TrainingRun.monotonicSeconds
    /// The pace a screen uses for small data sets so training can be watched; nil headless.
    public var watchablePace: Double?
    /// The picture grid for the current data (decision boundary or fitted line), if any.
    public internal(set) var probeGrid: ProbeGrid?
    private var cachedSnapshot: (run: ObjectIdentifier, snapshot: RunSnapshot)?
    /// Set by a headless front end: what screen-only commands (`theme`, `show boundary`) say.
    public var screenNote: String? = "there is no screen here (headless): themes and the decision boundary are drawn by `descent` in a terminal"
    /// What `help keys` prints: the front end's keymap.
    public var keymapHelp = "No screen keys here: this is the headless front end. End input with Ctrl-D or `quit`."

    // MARK: Runs
    public internal(set) var runs: [RunRecord] = []
    var active: ActiveRun?
    /// The K-fold cross-validation of `cv`, while it runs and after (its pooled results).
    var crossValidation: CrossValidation?
    /// True once `quit` ran.
    public internal(set) var quitRequested = false
    var recorder: Recorder?
    /// Set while a queued (notebook or piped) command runs; see `ActiveRun.scripted`.
    var scripted = false

    public init(output: @escaping (OutputLine) -> Void = { _ in }) {
        self.output = output
    }

    /// The latest snapshot of the active run (layer summary, validation, probe outputs).
    /// Only the front end's thread may call this (the slot has one reader).
    public var latestSnapshot: RunSnapshot? {
        guard let a = active else { return nil }
        let id = ObjectIdentifier(a.run)
        if let fresh = a.run.snapshots.latest() {
            cachedSnapshot = (id, fresh)
            return fresh
        }
        return cachedSnapshot?.run == id ? cachedSnapshot?.snapshot : nil
    }

    /// The most recent run record, if any.
    public var currentRun: RunRecord? { active.map { runs[$0.recordIndex] } ?? runs.last }

    /// True while a background run's thread is alive (training or paused), and while `cv` has
    /// folds left to train.
    public var isBusy: Bool {
        (active?.runner.map { !$0.isFinished } ?? false) || crossValidation?.isRunning == true
    }

    func say(_ text: String, _ kind: OutputLine.Kind = .result) { output(OutputLine(kind, text)) }

    // MARK: - Executing

    /// Runs one parsed command. Returns false (after printing the error) when it failed; the
    /// session is then exactly as before.
    @discardableResult
    public func execute(_ command: Command, source: String? = nil) -> Bool {
        do {
            try dispatch(command)
            recorder?.note(command, source: source)
            return true
        } catch {
            // In a notebook or script the error names its place: `lesson.md:14:1: …`.
            let place = command.location.file != nil ? "\(command.location): " : ""
            say(place + error.description, .error)
            return false
        }
    }

    /// Parses and runs one line typed by the user; parse errors print with their column.
    @discardableResult
    public func execute(line: String, lineNumber: Int = 1) -> Bool {
        do {
            guard let command = try parseLine(line, line: lineNumber) else { return true }
            return execute(command, source: line.trimmingCharacters(in: .whitespaces))
        } catch {
            say(error.description, .error)
            return false
        }
    }

    /// Commands that set up the next run; refused while a run is training or paused (its model
    /// would silently keep training on the old set-up while the panes showed the new one).
    static let setUpCommands: Set<String> = ["model", "loss", "optimizer", "regularize", "dropout", "batch", "schedule"]

    private func dispatch(_ c: Command) throws(SessionError) {
        if isBusy, Self.setUpCommands.contains(c.name) {
            throw SessionError("\(c.name): a run is still training (or paused) on the current set-up: `stop` it first, "
                               + "or change it live with `set lr|momentum|batch|pace`")
        }
        switch c.name {
        case "seed": try seedCommand(c)
        case "data": try dataCommand(c)
        case "model": try modelCommand(c)
        case "loss": try lossCommand(c)
        case "optimizer": try optimizerCommand(c)
        case "regularize": try regularizeCommand(c)
        case "dropout": try dropoutCommand(c)
        case "batch": try batchCommand(c)
        case "schedule": try scheduleCommand(c)
        case "train": try trainCommand(c)
        case "cv": try cvCommand(c)
        case "pause": try control(.pause, verb: "pause")
        case "resume": try control(.resume, verb: "resume")
        case "stop": requestCrossValidationStop(); try control(.stop, verb: "stop")
        case "step": try stepCommand(c)
        case "watch": try watchCommand(c)
        case "set": try setCommand(c)
        case "show": try showCommand(c)
        case "runs": runsCommand()
        case "expect": try expectCommand(c)
        case "record": try recordCommand(c)
        case "help": helpCommand(c)
        case "theme": say(screenNote ?? "themes colour the screen", .info)
        case "quit": quitRequested = true; stopActiveRun(); finishRecording()
        case "replay", "next", "lesson":
            throw SessionError("`\(c.name)` runs notebooks: it works at the REPL and in `descent run`, not inside a notebook")
        default:
            throw SessionError("`\(c.name)` is not available yet")
        }
    }

    private func helpCommand(_ c: Command) {
        if c.keyword == "keys" {
            say(keymapHelp, .info)
        } else if let topic = c.keyword {
            say(Help.text(for: topic) ?? Help.notFound(topic), .info)
        } else {
            say(Help.overview(), .info)
        }
    }

    /// Stops a background run and waits for its thread (quit, shutdown).
    public func stopActiveRun() {
        guard let a = active, let runner = a.runner, !runner.isFinished else { return }
        _ = a.run.controls.push(.stop)
        runner.join()
        poll()
    }
}
