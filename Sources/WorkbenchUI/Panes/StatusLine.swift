import TerminalUI
import WorkbenchCore
import Models

/// The bottom line: state, epoch, update, loss, metric, lr, optimizer, speed.
@MainActor
struct StatusLine {
    let app: WorkbenchApp

    func render(into buffer: inout Buffer, area: Rect, context: RenderContext) {
        let theme = context.theme
        let session = app.session
        var left: [Span] = []
        var right: [Span] = []
        if let serving = session.display.serveStatus {
            // The model server: its address and requests answered (port and count below 140
            // columns, where the whole address would push a run's lr and optimizer off the line;
            // `serve` printed the whole address).
            let address = area.width >= 140 ? serving.address : ":" + (serving.address.split(separator: ":").last.map(String.init) ?? "")
            right.append(Span(" serving \(address) · \(serving.requests) req ", theme.style("status.training")))
            right.append(Span("  "))
        }
        if let run = session.display.currentRun {
            let (symbol, key): (String, String)
            switch run.status {
            case .training: (symbol, key) = (context.glyphs.usesBraille ? "▶ training" : "> training", "status.training")
            case .paused: (symbol, key) = ("‖ paused", "status.paused")
            case .diverged: (symbol, key) = ("! diverged", "status.diverged")
            case .finished: (symbol, key) = ("✓ finished", "status.bar")
            case .stopped: (symbol, key) = ("■ stopped", "status.bar")
            case .loaded: (symbol, key) = ("■ loaded", "status.bar")
            case .ready: (symbol, key) = ("· ready", "status.bar")
            }
            left.append(Span(" \(symbol) ", theme.style(key)))
            // Narrow terminals keep what changes (epoch, loss, metric, lr) and drop the rest.
            let wide = area.width >= 100
            // A reopened run is the kept one (`@22`) until it trains on: named as `runs` names it.
            let kept = run.status == .loaded ? run.kept.map { " @\($0)" } ?? "" : ""
            left.append(Span((wide ? " run \(run.id)\(kept)  " : " ") + (run.plannedEpochs > 0 || run.epochs > 0 ? run.epochProgress : "")
                             + (wide || run.plannedEpochs == 0 ? "  update \(run.updates)" : "")))
            // The last epoch's mean training loss, as the epoch lines print it; before the
            // first epoch ends, the last mini-batch's.
            if run.status == .diverged, let back = run.cameBack {
                left.append(Span("  loss \(readable(back.loss)) (update \(back.update)'s weights back)"))
            } else if let last = run.epochHistory.last {
                // An ended run shows its final evaluation, as its summary line and `runs` do (a run
                // stopped mid-epoch has moved on since the last epoch's figure, an early-stopped
                // one went back to its best epoch's weights): `train loss` over the whole set.
                let ended = [.finished, .stopped, .loaded].contains(run.status)
                if ended, let final = run.trainEvaluation?.loss, final.isFinite {
                    left.append(Span("  train loss \(readable(final))"))
                } else {
                    left.append(Span("  loss \(readable(last.trainLoss))"))
                }
                if let final = run.validationEvaluation?.headline, ended {
                    left.append(Span("  val \(final.name) \(readable(Float(final.value), digits: 3))"))
                } else if let validated = run.epochHistory.last(where: \.isValidated), validated.validationMetric.isFinite {
                    left.append(Span("  val \(run.metricName) \(readable(validated.validationMetric, digits: 3))"))
                }
            } else if let loss = run.lossHistory.last {
                left.append(Span("  batch loss \(readable(loss))"))
            }
            right.append(Span("lr \(readable(run.learningRate))  " + (wide ? "\(run.setup.optimizer.kind.rawValue)  " : "")))
            if run.status == .training && app.speed.rate > 0 {
                right.append(Span(String(format: app.speed.rate >= 1000 ? "%.1fk" : "%.0f",
                                         app.speed.rate >= 1000 ? app.speed.rate / 1000 : app.speed.rate) + " updates/s "))
            }
        } else {
            left.append(Span(" idle ", theme.style("status.bar")))
            left.append(Span(session.display.data != nil
                             ? (session.display.modelSpec != nil ? "  `train` starts a run"
                                : Self.lessonHasCellsLeft(app) ? "  F8 for the lesson's next cell, or `model mlp 8`"
                                : "  next a model (`model mlp 8`), then `train`")
                             : Self.lessonHasCellsLeft(app) ? "  start with `data spiral`, or F8 for the lesson"
                             : "  start with `data spiral`, or `lessons` to pick a lesson"))
            right.append(Span("F1 keys  "))
        }
        StatusBar(left: left, right: right, baseStyle: theme.style("status.bar"))
            .render(into: &buffer, area: area, context: context)
    }

    /// Whether F8 has a lesson cell to run (a lesson is open and not done).
    static func lessonHasCellsLeft(_ app: WorkbenchApp) -> Bool {
        guard let (notebook, next) = app.runner.lesson else { return false }
        return next < notebook.cells.count
    }
}

/// A number for the status line: 4 significant digits (or fixed `digits`), and `huge` instead
/// of a 40-digit figure when a run blew up.
func readable(_ x: Float, digits: Int? = nil) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : "inf" }
    if abs(x) >= 1e6 { return x > 0 ? "huge" : "-huge" }
    if let digits { return String(format: "%.\(digits)f", Double(x)) }
    return shortNumber(Double(x))
}
