import Foundation
import TerminalUI
import WorkbenchCore
import CommandLanguage
import Training

/// The workbench screen as an application: state, key handling and `render(into:)`.
///
/// It owns a `Session` and a `ScriptRunner`; everything it draws comes from them (run records,
/// the latest snapshot) and from its own view state (focus, zoom, scroll, views). Rendering
/// writes into a `Buffer` only — no terminal calls — so every screen is testable as text.
@MainActor
public final class WorkbenchApp: TerminalApplication {
    public let session: Session
    public let runner: ScriptRunner
    public private(set) var output: [OutputLine] = []
    public var focus: PaneID = .repl
    public var zoomed: PaneID?
    public var scroll: [PaneID: Int] = [:]
    public var evaluationView: EvaluationView = .auto
    /// How many of the session's view requests the screen has followed.
    private var viewRequestsSeen = 0
    public var logScale = false
    /// TensorBoard-style EMA smoothing weight for the train loss (0 = off).
    public var smoothing: Double = 0.6
    public var showKeymap = false
    public var context: RenderContext {
        didSet { session.frontEnd.plotPalette = PlotPalette(context.theme) }
    }
    public private(set) var wantsToQuit = false
    /// Where theme files live (`theme NAME` loads NAME.theme from here).
    public let themesFolder: URL?
    let clock: () -> Double
    var snapshot: RunSnapshot?
    var speed = SpeedMeter()
    var lastInterrupt: Double = -.infinity
    var summaryCache: (key: String, lines: ModelPaneContent)?
    /// The loss surface the contour view drew last, and the run it belongs to (computing one
    /// takes thousands of forward passes: it is kept while the paths stay inside it).
    var contourCache: (run: Int, surface: LossSurface)?
    /// The REPL pane's text width at the last frame: what help is laid out to.
    var replTextWidth = 78
    var lessonCellShown: Int?
    /// The lesson pane's lines below its view, and its height (set as it draws): F8 pages
    /// through unseen text before it runs the next cell.
    public internal(set) var lessonPaging = (unseen: 0, page: 0)

    public static let maximumOutputLines = 5000

    public init(themesFolder: URL?, theme: Theme = .builtInDefault, glyphs: Glyphs = .unicode,
                clock: @escaping () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.themesFolder = themesFolder
        self.context = RenderContext(theme: theme, glyphs: glyphs)
        self.clock = clock
        var append: ((OutputLine) -> Void)?
        session = Session { append?($0) }
        runner = ScriptRunner(session: session, stopOnFailure: true)
        session.frontEnd.watchablePace = 100
        session.frontEnd.screenNote = nil
        session.frontEnd.keymapHelp = Keymap.helpText
        session.frontEnd.plotPalette = PlotPalette(theme)
        append = { [unowned self] line in self.append(line) }
    }

    func append(_ line: OutputLine) {
        for piece in line.text.split(separator: "\n", omittingEmptySubsequences: false) {
            output.append(OutputLine(line.kind, String(piece)))
        }
        if output.count > Self.maximumOutputLines { output.removeFirst(output.count - Self.maximumOutputLines) }
        scroll[.repl] = 0
    }

    /// `clear`, Ctrl-L: the REPL's output emptied (history, runs and panes stay).
    func clearOutput() {
        output.removeAll()
        scroll[.repl] = 0
    }

    // MARK: - Lessons

    /// Opens a notebook in the lesson pane; `next` (or F8) runs its cells one by one.
    public func openLesson(_ path: String) {
        guard let notebook = runner.load(path) else { return }
        runner.open(notebook)
        append(OutputLine(.info, "lesson \(notebook.title ?? path): press F8 or type `next` to run the next cell"))
    }

    // MARK: - TerminalApplication

    public func submit(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        append(OutputLine(.info, Self.prompt + trimmed))
        let command: Command?
        do {
            command = try parseLine(trimmed)
        } catch {
            // Mark the column under the echoed line instead of printing "1:14:".
            let pad = String(repeating: " ", count: Self.prompt.count + max(error.location.column - 1, 0))
            append(OutputLine(.error, pad + "^ " + error.message
                              + (error.suggestion.map { " — did you mean '\($0)'?" } ?? "")))
            return
        }
        guard let command else { return }
        switch command.id {
        case .theme: switchTheme(command.keyword ?? ""); return
        case .clear: clearOutput(); return
        case .quit: wantsToQuit = true
        default: break
        }
        session.frontEnd.textWidth = max(40, replTextWidth)
        runner.submit(typed: command, source: trimmed)
        summaryCache = nil
    }

    static let prompt = "descent> "

    public func interrupt(input: InputLine) -> Bool {
        let now = clock()
        if session.isBusy || session.display.hasSteppedRun {
            append(OutputLine(.info, "Ctrl-C: stopping the run (Ctrl-C twice on an empty line quits)"))
            session.execute(line: "stop")
            lastInterrupt = -.infinity
            return false
        }
        if input.text.isEmpty {
            if now - lastInterrupt < 2 { wantsToQuit = true; return true }
            lastInterrupt = now
            append(OutputLine(.info, "press Ctrl-C again to quit (or type `quit`)"))
        }
        return false
    }

    public func completions(for line: String, cursor: Int) -> [String] {
        let runNames = Array(Set(session.display.records.compactMap(\.name))).sorted()
        return CommandLanguage.completions(forLine: line, cursor: cursor) { [themesFolder] context in
            DynamicCompletion.candidates(for: context, themesFolder: themesFolder, runNames: runNames)
        }
    }

    public func showCompletions(_ candidates: [String]) {
        append(OutputLine(.result, candidates.joined(separator: "  ")))
    }

    /// The screen moves on its own while a run trains, a notebook's commands run, or a model is
    /// served (its requests, a followed generation).
    public var isAnimating: Bool {
        session.isBusy || !runner.isIdle || session.display.serveStatus != nil
    }

    public func tick() {
        runner.pump()
        if LessonPane.shownPart(runner) != lessonCellShown {
            lessonCellShown = LessonPane.shownPart(runner)
            scroll[.lesson] = 0
            lessonPaging = (0, 0)
        }
        if runner.session.quitRequested { wantsToQuit = true }
        if let request = session.display.views.request, request.serial != viewRequestsSeen {
            viewRequestsSeen = request.serial
            adjustView(for: request.view)
        }
        snapshot = session.display.latestSnapshot
        if let run = session.display.currentRun { speed.record(updates: run.updates, at: clock(), training: run.status == .training) }
    }

    /// Picks the glyphs for the locale and, on terminals with fewer than 256 colours or with
    /// `NO_COLOR` set, the monochrome theme.
    public func terminalStarted(colors: Int, unicode: Bool) {
        context.glyphs = unicode ? .unicode : .ascii
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        if (colors < 256 || noColor) && context.theme.name != "mono" {
            context.theme = themesFolder.flatMap { try? Theme.load(named: "mono", in: $0) } ?? .builtInMono
            append(OutputLine(.info, noColor ? "NO_COLOR is set: monochrome theme"
                                             : "this terminal shows \(colors) colours: monochrome theme"))
        }
    }

    public func shutDown() {
        session.shutDown()
        session.finishRecording()
    }

    public func render(into buffer: inout Buffer, input: InputLine) -> (x: Int, y: Int)? {
        buffer.fill(buffer.area, with: Cell(" ", style: context.theme.style("text")))
        let layout = ScreenLayout(width: buffer.width, height: buffer.height,
                                  lessonOpen: runner.lesson != nil, zoomed: zoomed, focus: focus)
        if layout.isTooSmall {
            MinimumSizeNotice(minimumWidth: ScreenLayout.minimumWidth, minimumHeight: ScreenLayout.minimumHeight)
                .render(into: &buffer, area: buffer.area, context: context)
            return nil
        }
        var cursor: (x: Int, y: Int)?
        if let repl = layout.panes[.repl] { replTextWidth = repl.width - 2 }
        for (pane, area) in layout.panes {
            if let c = renderPane(pane, into: &buffer, area: area, input: input) { cursor = c }
        }
        if let line = layout.inputLine {
            cursor = ReplPane.renderInput(input, into: &buffer, area: line, context: context)
        }
        StatusLine(app: self).render(into: &buffer, area: layout.status, context: context)
        if showKeymap { Keymap.render(into: &buffer, context: context) }
        return cursor
    }
}

/// Which picture the evaluation pane shows.
public enum EvaluationView: String, CaseIterable, Sendable {
    /// The best for the data: boundary for 2-D classes, confusion for other classes, fit for regression.
    case auto, confusion, boundary, unit, fit, contour, health, lrFinder, history, attention, heads
}
