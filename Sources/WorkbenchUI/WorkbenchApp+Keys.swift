import Foundation
import TerminalUI
import WorkbenchCore
import Models

/// The screen's keys. Typing always goes to the REPL; pane keys are function keys with Alt
/// equivalents (Esc, then the letter) for terminals that do not send F-keys.
public enum Keymap {
    public static let entries: [(keys: String, action: String)] = [
        ("F1  Alt-h", "this keymap (again to close)"),
        ("F2  Alt-f", "focus the next pane"),
        ("F3  Alt-b", "focus the previous pane"),
        ("F4  Alt-z", "zoom the focused pane to the full screen, and back"),
        ("PgUp PgDn", "scroll the focused pane (the REPL by default)"),
        ("F5  Alt-e", "next evaluation view (`help show` lists them)"),
        ("F6  Alt-l", "loss chart: linear ↔ log scale"),
        ("F7  Alt-s", "loss chart: smoothing off → 0.6 → 0.9"),
        ("F8  Alt-n", "lesson: unseen text first, then the next cell"),
        ("F9  Alt-p", "pause / resume the run"),
        ("F10 Alt-a", "attention view: next head, then the next layer"),
        ("Alt-, Alt-.", "rewind the panes one kept epoch back / forward"),
        ("Tab", "complete a command, option or name"),
        ("↑ ↓  Ctrl-R", "history, search history"),
        ("Ctrl-L", "empty the REPL, draw the screen again (`clear`)"),
        ("Ctrl-C", "stop the run; twice on an empty line: quit"),
        ("Ctrl-D", "quit (on an empty line)"),
        ("Ctrl-Z", "suspend to the shell; `fg` brings the screen back"),
    ]

    public static var helpText: String {
        "Keys (typing always goes to the REPL):\n"
            + entries.map { "  " + $0.keys.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.action }
                .joined(separator: "\n")
    }

    /// The keymap as an overlay in the middle of the screen.
    static func render(into buffer: inout Buffer, context: RenderContext) {
        let lines = entries.map { [Span("  " + $0.keys.padding(toLength: 12, withPad: " ", startingAt: 0), context.theme.style("accent")),
                                   Span($0.action, context.theme.style("text"))] }
        let width = min(buffer.width - 4, 70), height = min(buffer.height - 2, lines.count + 2)
        guard width > 10, height > 2 else { return }
        let area = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
        buffer.fill(area, with: Cell(" ", style: context.theme.style("text")))
        let block = Block(title: "Keys (F1 closes)", isFocused: true)
        block.render(into: &buffer, area: area, context: context)
        Paragraph(lines: lines, wrap: false).render(into: &buffer, area: block.inner(area), context: context)
    }
}

extension WorkbenchApp {
    static let focusOrder: [PaneID] = [.repl, .data, .loss, .model, .evaluation, .lesson]

    public func handle(_ key: Key, input: InputLine) -> Bool {
        switch key {
        case .function(1), .alt("h"): showKeymap.toggle()
        case .control("l"): clearOutput()
        case .escape where showKeymap: showKeymap = false
        case .function(2), .alt("f"): moveFocus(by: 1)
        case .function(3), .alt("b"): moveFocus(by: -1)
        case .function(4), .alt("z"): zoomed = zoomed == nil ? focus : nil
        case .function(5), .alt("e"): cycleEvaluation()
        case .function(6), .alt("l"): logScale.toggle()
        case .function(7), .alt("s"): smoothing = smoothing == 0 ? 0.6 : (smoothing < 0.8 ? 0.9 : 0)
        case .function(8), .alt("n"):
            // Text of this part not yet on screen comes first, a page at a time; a last line or
            // two come with the cell (its text stays on screen while it runs), not for a press.
            if lessonPaging.unseen > 2 {
                scroll[.lesson, default: 0] += max(1, lessonPaging.page - 1)
            } else {
                scroll[.lesson, default: 0] += lessonPaging.unseen
                submit("next")
            }
        case .alt(","), .alt("."): stepRewind(by: key == .alt(",") ? -1 : 1)
        case .function(10), .alt("a"):
            session.cycleAttention()
            if session.display.attentionMaps != nil { evaluationView = .attention }
        case .function(9), .alt("p"):
            if let run = session.display.currentRun, session.isBusy { submit(run.status == .paused ? "resume" : "pause") }
        // The REPL scrolls back from its newest line; other panes scroll down from their top.
        case .pageUp where focus == .repl, .pageDown where focus != .repl: scroll[focus, default: 0] += 5
        case .pageDown, .pageUp: scroll[focus] = max(0, scroll[focus, default: 0] - 5)
        default: return false
        }
        return true
    }

    /// Rewinds to the kept epoch before or after the one shown (now, when none is); past the
    /// last it returns to now.
    func stepRewind(by step: Int) {
        let epochs = session.display.keptEpochs
        guard !epochs.isEmpty else { return }
        let shown = session.display.views.rewound?.epoch ?? Int.max
        if step < 0, let previous = epochs.last(where: { $0 < shown }) {
            submit("rewind \(previous)")
        } else if step > 0, session.display.views.rewound != nil {
            if let next = epochs.first(where: { $0 > shown }) { submit("rewind \(next)") } else { submit("rewind off") }
        }
    }

    func moveFocus(by step: Int) {
        let order = Self.focusOrder.filter { $0 != .lesson || runner.lesson != nil }
        let i = order.firstIndex(of: focus) ?? 0
        focus = order[(i + step + order.count) % order.count]
        if zoomed != nil { zoomed = focus }
    }

    func cycleEvaluation() {
        let order: [EvaluationView] = [.boundary, .unit, .confusion, .fit, .attention, .heads, .contour, .health, .lrFinder, .history]
        let current = EvaluationPane.resolve(evaluationView, app: self)
        let i = order.firstIndex(of: current) ?? 0
        var next = order[(i + 1) % order.count]
        for _ in 0..<order.count where !EvaluationPane.isAvailable(next, app: self) {
            next = order[((order.firstIndex(of: next) ?? 0) + 1) % order.count]
        }
        evaluationView = next
    }

    /// The evaluation view a command asked for, if the pane has one for it.
    func adjustView(for view: ViewState.Request.View) {
        switch view {
        case .lrFind: evaluationView = .lrFinder
        case .fresh:
            evaluationView = .auto
            logScale = false
        case .show(let shown):
            switch shown {
            case .confusion: evaluationView = .confusion
            case .boundary: evaluationView = .boundary
            case .fit: evaluationView = .fit
            case .contour: evaluationView = .contour
            case .unit: evaluationView = .unit
            case .histograms: evaluationView = .health
            case .history: evaluationView = .history
            case .attention: evaluationView = .attention
            case .heads: evaluationView = .heads
            case .layers, .weights, .grads, .metrics, .data, .positions, .lens, .ladder, .misclassified, .serve: break
            }
        }
    }

    func switchTheme(_ name: String) {
        guard let folder = themesFolder else {
            append(OutputLine(.error, "theme: no Themes folder found")); return
        }
        let available = Theme.names(in: folder)
        guard available.contains(name) else {
            append(OutputLine(.error, "theme: no theme '\(name)' in \(folder.path); available: \(available.joined(separator: ", "))"))
            return
        }
        do {
            let theme = try Theme.load(named: name, in: folder)
            context.theme = theme
            append(OutputLine(.info, "theme \(name)"))
        } catch {
            append(OutputLine(.error, "\(error.description); keeping theme \(context.theme.name)"))
        }
    }

    func renderPane(_ pane: PaneID, into buffer: inout Buffer, area: Rect, input: InputLine) -> (x: Int, y: Int)? {
        let focused = focus == pane
        switch pane {
        case .data: DataPane(app: self).render(into: &buffer, area: area, focused: focused)
        case .loss: LossPane(app: self).render(into: &buffer, area: area, focused: focused)
        case .model: ModelPane(app: self).render(into: &buffer, area: area, focused: focused)
        case .evaluation: EvaluationPane(app: self).render(into: &buffer, area: area, focused: focused)
        case .lesson: LessonPane(app: self).render(into: &buffer, area: area, focused: focused)
        case .repl: return ReplPane(app: self).render(into: &buffer, area: area, focused: focused, input: input)
        }
        return nil
    }
}

/// Updates per second over the last couple of seconds, for the status line.
struct SpeedMeter {
    private var samples: [(time: Double, updates: Int)] = []
    private(set) var rate: Double = 0

    mutating func record(updates: Int, at time: Double, training: Bool) {
        guard training else { samples.removeAll(); rate = 0; return }
        samples.append((time, updates))
        samples.removeAll { time - $0.time > 2 }
        if let first = samples.first, time - first.time > 0.2 {
            rate = Double(updates - first.updates) / (time - first.time)
        }
    }
}
