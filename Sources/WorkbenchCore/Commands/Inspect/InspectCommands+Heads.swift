import Foundation
import NeuralEngine
import Models

extension InspectCommands {
    /// `show heads`: every attention head's previous-token, induction and copying scores
    /// (`HeadScores`) on the model as it is now, once no thread drives the run (they run the
    /// model on a probe of their own); the head likeliest to be an induction head is marked.
    func showHeads() throws(DescentError) {
        guard let run = runs.current else {
            throw bench.currentRecord == nil ? DescentError("show heads: no model yet: `train` (or `step`) makes one") : runs.noLiveModel()
        }
        if case .driven? = runs.currentPhase {
            throw DescentError("show heads: run \(run.id) is training; its heads are scored once no thread drives it "
                               + "(when it ends, or after `stop`); `show attention` follows it live")
        }
        guard let scores = HeadScores.of(run.trainer.model) else {
            throw DescentError("show heads: this model has no attention heads to score; `model gpt` has them (sequences of symbols)")
        }
        let best = scores.max { $0.induction < $1.induction }
        bench.say("heads of run \(run.id), on 32 sequences of random symbols that repeat halfway (s[t] = s[t − ⌊block/2⌋]):", .info)
        var rows = [["head", "previous-token", "induction", "copying", ""]]
        for s in scores {
            let mark = s == best && s.induction >= 0.3 ? "◀ an induction head" : ""
            rows.append(["\(s.layer + 1).\(s.head + 1)", fmt(s.previousToken), fmt(s.induction), fmt(s.copying), mark])
        }
        bench.sayTable(rows)
        bench.say("previous-token: attention to the symbol before; induction: to the symbol after the current one's earlier "
                  + "occurrence; copying: the share of symbols the head's weights pass on as themselves", .info)
    }

    private func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
}
