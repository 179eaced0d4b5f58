import TerminalUI

/// The panes of the workbench.
public enum PaneID: String, CaseIterable, Sendable {
    case data, loss, model, evaluation, repl, lesson

    public var title: String {
        switch self {
        case .data: return "Data"
        case .loss: return "Loss"
        case .model: return "Model"
        case .evaluation: return "Evaluate"
        case .repl: return "REPL"
        case .lesson: return "Lesson"
        }
    }
}

/// Where each pane goes for a terminal size. At 120×40 the screen of DESIGN.md: data and loss
/// on top, model and evaluation below, the REPL (and the lesson, when one is open) across the
/// bottom, a status line last. The same proportions hold down to 80×24; below the minimum size
/// there is only a notice. A zoomed pane takes everything but the status line and, when it is not
/// the REPL, one input line.
///
/// A lesson on a short terminal (fewer than 32 rows: 80×24) is laid out lesson first: the lesson
/// takes the right column's whole height, the REPL the lower left, and above it the loss chart
/// beside one more pane: the evaluation pane, or the data or model pane while it has the focus
/// (F2 moves the focus to it), so every pane stays one key away without crushing the prose.
public struct ScreenLayout: Equatable, Sendable {
    public static let minimumWidth = 70
    public static let minimumHeight = 20

    public var panes: [PaneID: Rect] = [:]
    public var status: Rect
    /// A bare input line, used when a pane other than the REPL is zoomed.
    public var inputLine: Rect?
    public var isTooSmall: Bool

    /// Below this many body rows a lesson gets the lesson-first layout.
    public static let compactLessonHeight = 32

    public init(width: Int, height: Int, lessonOpen: Bool, zoomed: PaneID?, focus: PaneID = .repl) {
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        status = Rect(x: 0, y: max(height - 1, 0), width: width, height: height > 0 ? 1 : 0)
        guard !isTooSmall else { return }
        let body = Rect(x: 0, y: 0, width: width, height: height - 1)
        if let z = zoomed {
            if z == .repl {
                panes[.repl] = body
            } else {
                panes[z] = Rect(x: 0, y: 0, width: width, height: body.height - 1)
                inputLine = Rect(x: 0, y: body.height - 1, width: width, height: 1)
            }
            return
        }
        if lessonOpen && body.height < Self.compactLessonHeight {
            let left = width * 60 / 100
            let top = max(6, body.height * 45 / 100)
            let half = left / 2
            let slot: PaneID = focus == .data || focus == .model ? focus : .evaluation
            panes[.loss] = Rect(x: 0, y: 0, width: half, height: top)
            panes[slot] = Rect(x: half, y: 0, width: left - half, height: top)
            panes[.repl] = Rect(x: 0, y: top, width: left, height: body.height - top)
            panes[.lesson] = Rect(x: left, y: 0, width: width - left, height: body.height)
            return
        }
        // A lesson needs room for its prose: the bottom row grows from 30 % to 40 %.
        let share = lessonOpen ? 40 : 30
        let replHeight = max(7, body.height * share / 100)
        let upper = body.height - replHeight
        let topHeight = (upper * 55 + 50) / 100
        let left = width / 2
        panes[.data] = Rect(x: 0, y: 0, width: left, height: topHeight)
        panes[.loss] = Rect(x: left, y: 0, width: width - left, height: topHeight)
        panes[.model] = Rect(x: 0, y: topHeight, width: left, height: upper - topHeight)
        panes[.evaluation] = Rect(x: left, y: topHeight, width: width - left, height: upper - topHeight)
        if lessonOpen {
            let replWidth = width * 55 / 100
            panes[.repl] = Rect(x: 0, y: upper, width: replWidth, height: replHeight)
            panes[.lesson] = Rect(x: replWidth, y: upper, width: width - replWidth, height: replHeight)
        } else {
            panes[.repl] = Rect(x: 0, y: upper, width: width, height: replHeight)
        }
    }
}
