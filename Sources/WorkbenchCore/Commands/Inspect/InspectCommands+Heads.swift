import Foundation
import NeuralEngine
import Training
import Models
import CommandLanguage

extension InspectCommands {
    /// `show heads`: every attention head's previous-token, induction and copying scores
    /// (`HeadScores`) and the probe's loss per half, live while a thread trains the run (the
    /// latest snapshot's reading) or measured on the model now; with the history of the
    /// snapshots, the induction score of the likeliest head over the updates (the phase change).
    func showHeads() throws(DescentError) {
        let (run, reading, live) = try headReading(for: "show heads")
        let history = display.latestSnapshot?.heads
        let best = reading.likeliestInduction
        bench.say("heads of run \(run.id)" + (live ? " at update \(grouped(history?.points.last?.update ?? 0)) (training)" : "")
                  + ", on 32 sequences of random symbols that repeat halfway (s[t] = s[t − \(reading.half)]):", .info)
        var rows = [["head", "previous-token", "induction", "copying", ""]]
        for s in reading.heads {
            let mark = s == best && s.induction >= 0.3 ? "◀ an induction head" : ""
            rows.append([Self.headName(layer: s.layer, head: s.head), fmt(s.previousToken), fmt(s.induction), fmt(s.copying), mark])
        }
        bench.sayTable(rows)
        bench.say("loss on the first half \(fmt(reading.firstHalfLoss)), on the repeat \(fmt(reading.repeatLoss)) "
                  + "(in-context: \(fmt(reading.inContext)); `show positions` has every position)", .info)
        if let history, history.points.count >= 2, let best, let index = reading.heads.firstIndex(of: best) {
            let name = Self.headName(layer: best.layer, head: best.head)
            // At most 48 columns, spread over the whole run (the rise is usually early).
            let all = history.points, columns = min(48, all.count)
            let points = (0..<columns).map { all[$0 * (all.count - 1) / max(columns - 1, 1)] }
            let rose = history.riseUpdate(head: index).map { ", rose at update \(grouped($0))" } ?? ""
            bench.say("\(name) induction \(textBars(points.map { Double($0.induction[index]) }, range: 0...1)) "
                      + "updates \(grouped(points.first!.update))…\(grouped(points.last!.update))\(rose)", .info)
            bench.say("repeat loss  \(textBars(points.map { Double($0.repeatLoss) })) "
                      + "\(fmt(Double(points.first!.repeatLoss))) → \(fmt(Double(points.last!.repeatLoss)))", .info)
        }
        bench.say("previous-token: attention to the symbol before; induction: to the symbol after the current one's earlier "
                  + "occurrence; copying: the share of symbols the head's weights pass on as themselves", .info)
        if let silenced = run.trainer.model.silencedHead, !live {
            bench.say("\(Self.headName(layer: silenced.layer, head: silenced.head)) is silenced (`ablate off` brings it back): "
                      + "the losses are without it", .info)
        }
    }

    /// `show positions`: the loss at every position of the probe of `HeadScores` (random symbols
    /// that repeat halfway): in-context learning is the loss on the repeat falling below the
    /// first half's.
    func showPositions() throws(DescentError) {
        let (run, reading, live) = try headReading(for: "show positions")
        bench.say("loss of run \(run.id)\(live ? " (training)" : "") at each position of 32 sequences of random symbols "
                  + "that repeat from position \(reading.half + 1):", .info)
        let top = max(reading.positionLoss.filter(\.isFinite).max() ?? 1, 1e-9)
        var rows = [["position", "next symbol", "loss", ""]]
        for (t, loss) in reading.positionLoss.enumerated() {
            let bar = String(repeating: "█", count: max(0, Int((loss / top * 24).rounded())))
            rows.append(["\(t + 1)", t + 1 < reading.half ? "new" : "seen before", fmt(loss), bar])
        }
        bench.sayTable(rows, leftAligned: [1, 3])
        bench.say("first half \(fmt(reading.firstHalfLoss)) (ln \(grouped(vocabularySize(run))) = "
                  + "\(fmt(log(Double(vocabularySize(run))))) is a uniform guess), repeat \(fmt(reading.repeatLoss)): "
                  + "in-context \(fmt(reading.inContext))", .info)
    }

    /// The head reading of the current run: the latest snapshot's while a thread drives it, else
    /// measured on its model now.
    private func headReading(for command: String) throws(DescentError) -> (Run, HeadReading, live: Bool) {
        guard let run = runs.current else {
            throw bench.currentRecord == nil ? DescentError("\(command): no model yet: `train` (or `step`) makes one") : runs.noLiveModel()
        }
        if case .driven? = runs.currentPhase {
            guard let reading = display.latestSnapshot?.heads?.latest else {
                if run.trainer.model.blockAttentions.isEmpty { throw Self.noHeads(command) }
                throw DescentError("\(command): run \(run.id) has no reading yet; the first comes with its first snapshot")
            }
            return (run, reading, true)
        }
        guard let reading = HeadScores.read(run.trainer.model) else { throw Self.noHeads(command) }
        return (run, reading, false)
    }

    static func noHeads(_ command: String) -> DescentError {
        DescentError("\(command): this model has no attention heads to read; `model gpt` has them (sequences of symbols)")
    }

    private func vocabularySize(_ run: Run) -> Int {
        (run.trainer.model.layers.first as? TokenEmbedding)?.vocabulary ?? 1
    }

    /// The value of a circuit metric for `expect`: `heads.induction`, `heads.previous`,
    /// `heads.copying` (the highest over the heads, now), `positions.first`, `positions.repeat`
    /// (the probe's loss per half), `ablated.acc`, `ablated.loss`, `patched.acc`, `patched.loss`
    /// and `intact.acc`, `intact.loss` (the last `ablate` or `patch` on this run); nil for
    /// another metric.
    func circuitMetric(_ metric: String) throws(DescentError) -> Double? {
        let parts = metric.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["heads", "positions", "ablated", "patched", "intact"].contains(parts[0]) else { return nil }
        if parts[0] == "heads" || parts[0] == "positions" {
            let (_, reading, _) = try headReading(for: "expect \(metric)")
            switch (parts[0], parts[1]) {
            case ("heads", "induction"): return reading.heads.map(\.induction).max()
            case ("heads", "previous"), ("heads", "previous-token"): return reading.heads.map(\.previousToken).max()
            case ("heads", "copying"): return reading.heads.map(\.copying).max()
            case ("positions", "first"): return reading.firstHalfLoss
            case ("positions", "repeat"): return reading.repeatLoss
            case ("heads", _): throw DescentError("expect \(metric): heads has induction, previous, copying (the highest over the heads)")
            default: throw DescentError("expect \(metric): positions has first and repeat (the probe's loss on each half)")
            }
        }
        let run = try stillRun(for: "expect \(metric)")
        let summary: HeadEffectSummary?
        switch parts[0] {
        case "ablated": summary = bench.lastAblation
        case "patched": summary = bench.lastPatch
        default: summary = [bench.lastAblation, bench.lastPatch].compactMap { $0 }.last { $0.run == run.id }
        }
        guard let last = summary, last.run == run.id else {
            let command = parts[0] == "patched" ? "patch" : "ablate"
            throw DescentError("expect \(metric): no `\(command)` on run \(run.id) yet (`\(command) induction` measures one)")
        }
        switch parts[1] {
        case "acc", "accuracy": return parts[0] == "intact" ? last.accuracy : last.changedAccuracy
        case "loss": return parts[0] == "intact" ? last.loss : last.changedLoss
        default: throw DescentError("expect \(metric): \(parts[0]) has acc and loss (over all positions of the last `\(parts[0] == "patched" ? "patch" : "ablate")`)")
        }
    }

    /// The current run, when no thread drives it (these read and run its model directly).
    func stillRun(for command: String) throws(DescentError) -> Run {
        guard let run = runs.current else {
            throw bench.currentRecord == nil ? DescentError("\(command): no model yet: `train` (or `step`) makes one") : runs.noLiveModel()
        }
        if case .driven? = runs.currentPhase {
            throw DescentError("\(command): run \(run.id) is training; it reads the model once no thread drives it "
                               + "(when it ends, or after `stop`); `show heads` and `show attention` follow it live")
        }
        return run
    }

    /// `L2H1` names block 2's first head (TransformerLens' way of naming heads).
    static func headName(layer: Int, head: Int) -> String { "L\(layer + 1)H\(head + 1)" }

    /// Block and head (from 0) of a name like `L2H1`.
    static func parseHead(_ text: String) -> (Int, Int)? {
        let upper = text.uppercased()
        guard upper.hasPrefix("L"), let h = upper.firstIndex(of: "H"),
              let layer = Int(upper[upper.index(after: upper.startIndex)..<h]), let head = Int(upper[upper.index(after: h)...]),
              layer >= 1, head >= 1 else { return nil }
        return (layer - 1, head - 1)
    }

    private func fmt(_ x: Double) -> String { Self.twoPlaces(x) }

    /// A score or loss as the circuit commands print it: two decimals.
    static func twoPlaces(_ x: Double) -> String { String(format: "%.2f", x) }
}
