import Foundation
import TensorCore
import NeuralEngine
import Training
import Models

/// What every command group works on: the set-up the next run is made of and the data it learns
/// from, the runs (with the coordinator that owns their lives), what the panes show, and where
/// output goes. Each group of commands (`SetUpCommands`, `RunCommands`, `InspectCommands`,
/// `ModelCommands`) reads and changes it; the `Session` routes commands to the groups.
///
/// One thread (the front end's) uses it.
final class Workbench {
    /// What the next run is made of.
    var setup = Setup.fresh
    /// The generator every random draw comes from, and how far it moved since `seed`.
    var random = SessionRandom(seed: Setup.fresh.seed)
    var data: DataState?
    /// The scalar `step` explains; nil: the first weight.
    var watchTarget: WatchTarget?
    /// Every run: records, live models, experiments.
    let runs = RunCoordinator()
    /// What the panes show beyond the runs.
    var views = ViewState()
    /// What the front end decides: clock, pace for watching, what screen-only commands say.
    var frontEnd = FrontEndSettings()
    /// Where every line goes.
    var output: (OutputLine) -> Void
    /// Set while a queued (notebook or piped) command runs; see `Run.scripted`.
    var scripted = false
    /// The notebook (or saved model) the set-up's settings came from, until the learner's own
    /// `data` or `model` has been told which of them stay (`SetUpCommands.sayWhatStays`).
    var setupFrom: String?
    /// The notebook open as a lesson (`lesson`): a relative file name typed at the REPL that
    /// names no file here may name one beside it (`SetUpCommands.resolved`).
    var openLesson: String?
    /// Every `expect` so far, passed or not (grading reads them).
    var checks: [CheckOutcome] = []
    /// The last `ablate` and the last `patch`: which run and head, and the figures over all
    /// positions (for `expect ablated.acc …`, `expect patched.loss …`, `expect intact.acc …`).
    var lastAblation: HeadEffectSummary?
    var lastPatch: HeadEffectSummary?
    /// Keeps every run in the run store; nil without one (`--no-store`, tests).
    var keeper: RunKeeper? {
        didSet { runs.observer = keeper }
    }
    /// The last preview of the next run and what it was made from (`preview`).
    var previewCache: (key: Preview.Key, preview: Preview?)?

    init(output: @escaping (OutputLine) -> Void) { self.output = output }

    // MARK: - Saying

    func say(_ text: String, _ kind: OutputLine.Kind = .result) { output(OutputLine(kind, text)) }

    func tell(_ notices: [Notice]) {
        for notice in notices { for line in notice.lines { output(line) } }
    }

    /// Says a table's rows as `.table` lines (never wrapped on a screen).
    func sayTable(_ rows: [[String]], leftAligned: Set<Int> = []) {
        for line in table(rows, leftAligned: leftAligned) { say(line, .table) }
    }

    // MARK: - Runs and models

    /// Every run's record, in order.
    var records: [RunRecord] { runs.records }

    /// The current run's record.
    var currentRecord: RunRecord? { runs.currentRecord }

    /// Makes runs from the current set-up, at the pace a new run gets.
    var factory: RunFactory {
        RunFactory(setup: setup, pace: effectivePace, clock: frontEnd.runClock, budget: runs.budget)
    }

    /// The pace for a new run: the set-up's (`set pace` before a run), else the front end's
    /// watchable pace for small data sets (a screen sets one; headless runs go at full speed).
    var effectivePace: Double {
        if let pace = setup.pace { return pace.rate }
        guard let watchable = frontEnd.watchablePace, let data, data.train.count <= 5000 else { return 0 }
        return watchable
    }

    /// The model the next run would start from, built without drawing from the session's
    /// generator: looking at a model must not change the run that follows.
    func previewModel() throws(DescentError) -> Sequential {
        guard let data else { throw DescentError("no data yet: try `data spiral`") }
        var generator = random.generator   // a copy: the session's does not move
        var rng = generator.split()
        return try factory.trainer(for: data, rng: &rng).trainer.model
    }

    /// The set-up changed: the current run's model is let go (its record stays), and with it what
    /// the panes drew of it, so `step` and `train` start afresh with the new set-up.
    func setUpChanged() {
        runs.detach()
        views.forgetModel()
    }
}

/// What the front end decides for a session.
public struct FrontEndSettings {
    /// A learner's workbench in a class: the only folders its commands may use (nil: any).
    public var confinement: Confinement?
    /// Where a notebook's relative output paths go (`LessonFiles`).
    public var lessonFiles = LessonFiles.defaultFolder()
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

    init(generator: SeededGenerator, position: Position) {
        self.generator = generator
        self.position = position
    }
}
