import Datasets
import CommandLanguage
import Models

extension InspectCommands {
    /// `show ladder`: the loss ladder of the current run (see `LossLadder`), as a table.
    func showLadder() throws(DescentError) {
        guard let record = bench.currentRecord else { throw runs.noLiveModel() }
        guard let rungs = display.latestSnapshot?.ladder, !rungs.isEmpty, let data else {
            throw DescentError("show ladder: no ladder yet: sequence models (`data sort`, `data words`) keep one while they train")
        }
        let from: String
        if case .symbols(_, _, let prompt) = data.full.kind, prompt > 0, let sample = SamplePreview.symbols(of: data.validation, row: 0) {
            from = "its answer to validation sample \(SamplePreview.number(0)), \(sample.problem) → (right: \(sample.answer))"
        } else {
            from = "40 characters it drew from the same start, with the same draws every time"
        }
        bench.say("loss ladder of run \(record.id): each time the training loss (smoothed) fell below a milestone, \(from)")
        var rows = [["loss", "update", "wrote"]]
        for rung in rungs {
            rows.append([fmt(rung.loss), grouped(rung.update), rung.sample + (rung.right.map { $0 ? "  ✓" : "  ✗" } ?? "")])
        }
        bench.sayTable(rows, leftAligned: [2])
    }
}
