import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import CommandLanguage
import Models

/// The interpreter of commands over a learner's set-up and runs: a thin router from each
/// command to the typed `Setup` (what the next run is made of), the loaded data, and the
/// `RunCoordinator` (every run, live or kept).
///
/// A session belongs to one thread (the front end's). `execute` never blocks: `train` starts a
/// background run and returns; `poll()` collects what the runs reported since the last call.
/// Whether a later command waits for a run is the caller's choice: `ScriptRunner` (notebooks,
/// piped input) waits, a screen's REPL does not. All output goes to `output`.
public final class Session {
    /// Where every line goes: printed headless, appended to the REPL pane on the screen.
    public var output: (OutputLine) -> Void
    /// What the next run is made of.
    public internal(set) var setup = Setup.fresh
    /// The generator every random draw comes from, and how far it moved since `seed`.
    var random = SessionRandom(seed: Setup.fresh.seed)
    public internal(set) var data: DataState?
    /// Every run: records, live models, experiments.
    let runs = RunCoordinator()
    /// The scalar `step` explains; nil: the first weight.
    public internal(set) var watchTarget: WatchTarget?
    /// The last `lr find`: its sweep and suggestion, and the run it was made from (nil: the
    /// next run's weights).
    public internal(set) var lrFind: (run: Int?, result: LearningRateRangeTest.Result)?
    /// `rewind`: the current run as it was at a kept epoch, which the panes draw instead of now.
    public internal(set) var rewound: (run: Int, epoch: Int, update: Int, snapshot: RunSnapshot)?
    /// The last view a command asked the screen for (`show contour`, `lr find` …) and how many
    /// such requests came before it: typed or from a notebook cell, the front end follows.
    public internal(set) var viewRequest = (view: "", serial: 0)
    /// `show unit`: the hidden unit (0-based layer and unit) snapshots draw over the plane.
    public internal(set) var unitView: (layer: Int, unit: Int)?
    /// `show attention`: the layer, head and validation sample whose attention is drawn.
    public internal(set) var attentionView = AttentionView()
    /// What the front end decides: clock, pace for watching, what screen-only commands say.
    public var frontEnd = FrontEndSettings()
    /// True once `quit` ran.
    public internal(set) var quitRequested = false
    var recorder: Recorder?
    /// The model server while `serve` runs, and the run and update its model copy is from.
    var server: (service: any ModelService, address: String, run: Int, updates: Int)?
    /// The request count the front end was last told of (it redraws when it changes).
    var seenRequests = 0
    /// `generate` calls since the session began: each draws from its own generator.
    var generated = 0
    /// Set while a queued (notebook or piped) command runs; see `Run.scripted`.
    var scripted = false

    public init(output: @escaping (OutputLine) -> Void = { _ in }) {
        self.output = output
    }

    func say(_ text: String, _ kind: OutputLine.Kind = .result) { output(OutputLine(kind, text)) }

    func tell(_ notices: [Notice]) {
        for notice in notices { for line in notice.lines { output(line) } }
    }

    // MARK: - What front ends read

    /// Every run's record, in order.
    public var records: [RunRecord] { runs.records }

    /// The run commands and panes act on: the last one of the current set-up, nil after the
    /// set-up changed (its record stays in `records`).
    public var currentRun: RunRecord? { runs.currentRecord }

    /// The current run's latest snapshot (layer summary, validation, probe outputs).
    /// Only the front end's thread may call this (a snapshot slot has one reader).
    public var latestSnapshot: RunSnapshot? {
        if let rewound, rewound.run == runs.currentID { return rewound.snapshot }
        return runs.snapshot()
    }

    /// True while a background run's thread is alive (training or paused), and while an
    /// experiment (`cv`) has runs left to train.
    public var isBusy: Bool { runs.isBusy }

    /// True while the current run is one `step` made that no thread drives yet (Ctrl-C and
    /// `stop` end it).
    public var hasSteppedRun: Bool {
        guard let run = runs.current else { return false }
        return run.handle == nil && !run.finalized && (currentRun?.updates ?? 0) > 0
    }

    /// The model the next `train` would build, as `model` described it.
    public var modelSpec: ModelSpec? { setup.model }

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

    private func dispatch(_ c: Command) throws(DescentError) {
        if c.traits.contains(.setUp), isBusy {
            throw DescentError(c.id == .data
                ? "a run is still training on the current data: `stop` it first"
                : "\(c.name): a run is still training (or paused) on the current set-up: `stop` it first, "
                  + "or change it live with `set lr|momentum|batch|pace`")
        }
        switch c.id {
        case .seed: try seedCommand(c)
        case .data: try dataCommand(c)
        case .model: try modelCommand(c)
        case .loss: try lossCommand(c)
        case .optimizer: try optimizerCommand(c)
        case .regularize: try regularizeCommand(c)
        case .dropout: try dropoutCommand(c)
        case .batch: try batchCommand(c)
        case .schedule: try scheduleCommand(c)
        case .train: try trainCommand(c)
        case .cv: try cvCommand(c)
        case .compare: try compareCommand(c)
        case .lr: try lrFindCommand(c)
        case .pause: try control(.pause)
        case .resume: try control(.resume)
        case .stop: try stopCommand()
        case .step: try stepCommand(c)
        case .watch: try watchCommand(c)
        case .set: try setCommand(c)
        case .show: try showCommand(c)
        case .gradcheck: try gradcheckCommand(c)
        case .rewind: try rewindCommand(c)
        case .runs: runsCommand()
        case .expect: try expectCommand(c)
        case .save: try saveCommand(c)
        case .load: try loadCommand(c)
        case .predict: try predictCommand(c)
        case .generate: try generateCommand(c)
        case .serve: try serveCommand(c)
        case .export: try exportCommand(c)
        case .record: try recordCommand(c)
        case .help: helpCommand(c)
        case .theme: say(frontEnd.screenNote ?? "themes colour the screen", .info)
        case .quit: quitRequested = true; shutDown(); finishRecording()
        case .replay, .next, .lesson, .lessons:
            throw DescentError("`\(c.name)` runs notebooks: it works at the REPL and in `descent run`, not inside a notebook")
        }
    }

    private func helpCommand(_ c: Command) {
        if c.keyword == "keys" {
            say(frontEnd.keymapHelp, .info)
        } else if let topic = c.keyword {
            say(Help.text(for: topic, width: frontEnd.textWidth) ?? Help.notFound(topic), .info)
        } else {
            say(Help.overview(width: frontEnd.textWidth), .info)
        }
    }

    /// Collects what the runs reported since the last call and prints it. Front ends call this
    /// often (a screen on every frame). Returns true when something happened.
    @discardableResult
    public func poll() -> Bool {
        let notices = runs.poll()
        tell(notices)
        let refreshed = refreshServedModelIfChanged()
        return !notices.isEmpty || refreshed || servedRequestsChanged()
    }

    /// Stops every run and waits for their threads, and stops the model server (quit, shutdown).
    public func shutDown() {
        tell(runs.shutDown())
        stopServing()
    }
}

/// What the front end decides for a session.
public struct FrontEndSettings {
    /// The clock runs read (monotonic seconds); tests give a fixed one so output has no timings.
    public var runClock: @Sendable () -> Double = TrainingRun.monotonicSeconds
    /// The pace a screen uses for small data sets so training can be watched; nil headless.
    public var watchablePace: Double?
    /// What screen-only commands (`theme`, `show boundary`) say; nil on a screen.
    public var screenNote: String? = "there is no screen here (headless): pictures (the decision boundary, the contour) and themes need `descent` in a terminal"
    /// The width help text is laid out to: the REPL pane's on a screen.
    public var textWidth = 78
    /// The colours of exported plots (a screen gives its theme's).
    public var plotPalette = PlotPalette()
    /// Makes the model server `serve` starts; nil where this build or front end has none.
    public var makeModelService: (@Sendable () -> any ModelService)?
    /// What `help keys` prints: the front end's keymap.
    public var keymapHelp = "No screen keys here: this is the headless front end. End input with Ctrl-D or `quit`."

    public init() {}
}

/// The session's generator and how far it has moved since `seed`: a recording can then say
/// exactly which commands make the same data and the same initial weights again.
struct SessionRandom {
    enum Position: Equatable {
        /// Nothing drawn since `seed`.
        case fresh
        /// Only the current data was drawn since `seed`.
        case afterData
        /// Runs drew initial weights since.
        case moved
    }

    var generator: SeededGenerator
    var position = Position.fresh

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }
}
