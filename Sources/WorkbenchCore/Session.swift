import Foundation
import TensorCore
import NeuralEngine
import Datasets
import Training
import CommandLanguage
import Models

/// The interpreter of commands: a router from each command to the group that runs it
/// (`SetUpCommands`, `RunCommands`, `InspectCommands`, `ModelCommands`), over one `Workbench`
/// (the set-up, the data, the runs, what the panes show). Front ends read what to draw from
/// `display`.
///
/// A session belongs to one thread (the front end's). `execute` never blocks: `train` starts a
/// background run and returns; `poll()` collects what the runs reported since the last call.
/// Whether a later command waits for a run is the caller's choice: `ScriptRunner` (notebooks,
/// piped input) waits, a screen's REPL does not. All output goes to `output`.
public final class Session {
    let bench: Workbench
    let setUp: SetUpCommands
    let training: RunCommands
    let inspection: InspectCommands
    let models: ModelCommands
    var recorder: Recorder?
    /// True once `quit` ran.
    public private(set) var quitRequested = false

    public init(output: @escaping (OutputLine) -> Void = { _ in }) {
        bench = Workbench(output: output)
        models = ModelCommands(bench: bench)
        setUp = SetUpCommands(bench: bench)
        training = RunCommands(bench: bench)
        inspection = InspectCommands(bench: bench, display: Display(bench: bench, models: models))
    }

    /// Where every line goes: printed headless, appended to the REPL pane on the screen.
    public var output: (OutputLine) -> Void {
        get { bench.output }
        set { bench.output = newValue }
    }

    /// What the front end decides: clock, pace for watching, what screen-only commands say.
    public var frontEnd: FrontEndSettings {
        get { bench.frontEnd }
        set { bench.frontEnd = newValue }
    }

    /// What a front end shows of the session.
    public var display: Display { inspection.display }

    /// True while a run trains (or is paused) or an experiment has runs left: a notebook waits.
    public var isBusy: Bool { bench.runs.isBusy }

    func say(_ text: String, _ kind: OutputLine.Kind = .result) { bench.say(text, kind) }

    // MARK: - Executing

    /// Runs one parsed command. Returns false (after printing the error) when it failed; the
    /// session is then exactly as before. `scripted`: it comes from a notebook or piped input,
    /// where nobody waits to resume a diverged run.
    @discardableResult
    public func execute(_ command: Command, source: String? = nil, scripted: Bool = false) -> Bool {
        bench.scripted = scripted
        defer { bench.scripted = false }
        // The learner's own data of another kind after a lesson's (or a loaded model's) set-up
        // starts from a fresh set-up: what the lesson chose stays with the lesson.
        let kept = (setup: bench.setup, random: bench.random, data: bench.data, from: bench.setupFrom)
        let leaving = scripted ? nil : setUp.leaveNotebookSetUp(for: command)
        bench.keeper?.commandStarts()
        do {
            try dispatch(command)
            if let leaving { say(leaving, .info) }
            setUp.noteSetUpSource(of: command, scripted: scripted)
            recorder?.note(command, source: source)
            bench.keeper?.commandEnded(command, source: source)
            return true
        } catch {
            bench.keeper?.commandEnded(nil, source: nil)
            if leaving != nil {
                (bench.setup, bench.random, bench.data, bench.setupFrom) = (kept.setup, kept.random, kept.data, kept.from)
            }
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
        case .seed: try setUp.seed(c)
        case .reset: try setUp.reset()
        case .data: try setUp.data(c)
        case .model: try setUp.model(c)
        case .loss: try setUp.loss(c)
        case .optimizer: try setUp.optimizer(c)
        case .regularize: try setUp.regularize(c)
        case .dropout: try setUp.dropout(c)
        case .batch: try setUp.batch(c)
        case .schedule: try setUp.schedule(c)
        case .train: try training.train(c)
        case .cv: try training.crossValidate(c)
        case .compare: try training.compare(c)
        case .lr: try training.lrFind(c)
        case .pause: try training.control(.pause)
        case .resume: try training.control(.resume)
        case .stop: try training.stop()
        case .step: try training.step(c)
        case .watch: try training.watch(c)
        case .set: try training.set(c)
        case .undo: try training.undo()
        case .show: try inspection.show(c)
        case .gradcheck: try inspection.gradcheck(c)
        case .ablate: try inspection.ablate(c)
        case .patch: try inspection.patch(c)
        case .rewind: try inspection.rewind(c)
        case .runs: try inspection.runs(c)
        case .note: try inspection.note(c)
        case .expect:
            let noted = bench.checks.count
            do { try inspection.expect(c) } catch {
                if bench.checks.count == noted { bench.noteCheck(c, passed: false, seen: error.description) }
                throw error
            }
        case .save: try models.save(c)
        case .load: try models.load(c)
        case .reopen: try models.reopen(c)
        case .predict: try models.predict(c)
        case .generate: try models.generate(c)
        case .serve: try models.serve(c)
        case .export: try models.export(c)
        case .log: try models.logRuns(c)
        case .record: try record(c)
        case .help: help(c)
        case .theme: say(bench.frontEnd.screenNote ?? "themes colour the screen", .info)
        case .clear: if let note = bench.frontEnd.screenNote { say("clear empties the screen's REPL; " + note, .info) }
        case .quit: quitRequested = true; shutDown(); finishRecording()
        case .replay, .next, .lesson, .lessons, .submit:
            throw DescentError("`\(c.name)` runs notebooks: it works at the REPL and in `descent run`, not inside a notebook")
        }
    }

    private func help(_ c: Command) {
        let width = bench.frontEnd.textWidth
        if let topic = c.keyword, topic == Help.keysTopic {
            say(bench.frontEnd.keymapHelp, .info)
        } else if let topic = c.keyword {
            say(Help.text(for: topic, width: width) ?? Help.notFound(topic), .info)
        } else {
            say(Help.overview(width: width), .info)
        }
    }

    /// Every `expect` so far and how it came out.
    public var checks: [CheckOutcome] { bench.checks }

    /// A set-up for a lesson or a replay: everything as a new session has it, the runs kept.
    public func startFresh(for reason: String) {
        setUp.startFresh(for: reason)
        bench.keeper?.noteFreshStart()
    }

    /// Collects what the runs reported since the last call and prints it. Front ends call this
    /// often (a screen on every frame). Returns true when something happened.
    @discardableResult
    public func poll() -> Bool {
        let notices = bench.runs.poll()
        bench.tell(notices)
        keepRuns()
        let refreshed = models.refreshServedModelIfChanged()
        let followed = models.followServedGeneration()
        models.writeLogs()
        return !notices.isEmpty || refreshed || followed || models.servedRequestsChanged()
    }

    /// Stops every run and waits for their threads, and stops the model server (quit, shutdown).
    public func shutDown() {
        bench.tell(bench.runs.shutDown())
        // A run stepped by hand ends with the session, so that the store keeps it as it is now.
        if bench.keeper != nil, bench.runs.hasSteppedRun { _ = bench.runs.stop() }
        keepRuns(now: true)
        bench.keeper?.store.close()
        bench.keeper = nil
        models.writeLogs()
        models.tensorBoard?.close()
        models.stopServing()
    }

    /// The next head of the attention layer shown, then every head of the next layer (F10).
    public func cycleAttention() {
        guard let maps = display.attentionMaps, !maps.layers.isEmpty else { return }
        var view = bench.views.attention
        let heads = maps.layers[min(view.layer, maps.layers.count - 1)].heads
        switch view.head {
        case nil: view.head = 0
        case let h? where h + 1 < heads: view.head = h + 1
        default:
            view.head = nil
            view.layer = (view.layer + 1) % maps.layers.count
        }
        bench.views.attention = view
    }

    /// The current run's model as a file (what `save` writes).
    public func modelFile() throws(DescentError) -> ModelFile { try models.modelFile() }
}
