import Foundation
import NeuralEngine
import Models
import CommandLanguage

extension InspectCommands {
    /// `show heads`: every attention head's previous-token, induction and copying scores
    /// (`HeadScores`) on the model as it is now, once no thread drives the run (they run the
    /// model on a probe of their own); the head likeliest to be an induction head is marked.
    func showHeads() throws(DescentError) {
        let run = try stillRun(for: "show heads")
        guard let scores = HeadScores.of(run.trainer.model) else {
            throw DescentError("show heads: this model has no attention heads to score; `model gpt` has them (sequences of symbols)")
        }
        let best = scores.max { $0.induction < $1.induction }
        bench.say("heads of run \(run.id), on 32 sequences of random symbols that repeat halfway (s[t] = s[t − ⌊block/2⌋]):", .info)
        var rows = [["head", "previous-token", "induction", "copying", ""]]
        for s in scores {
            let mark = s == best && s.induction >= 0.3 ? "◀ an induction head" : ""
            rows.append([Self.headName(layer: s.layer, head: s.head), fmt(s.previousToken), fmt(s.induction), fmt(s.copying), mark])
        }
        bench.sayTable(rows)
        bench.say("previous-token: attention to the symbol before; induction: to the symbol after the current one's earlier "
                  + "occurrence; copying: the share of symbols the head's weights pass on as themselves", .info)
    }

    /// `ablate LxHy` (or `ablate induction`: the head with the highest induction score; `ablate
    /// other`: the head of its block with the lowest): the
    /// current sequence model's loss and accuracy at every scored position of the validation
    /// split, with that head's output set to zero and intact (`Ablation`); `expect ablated.acc …`
    /// and `expect intact.acc …` then check the figures over all positions.
    func ablate(_ c: Command) throws(DescentError) {
        guard let word = c.positional(0)?.text else {
            throw DescentError("ablate: expected a head as `show heads` names them, e.g. `ablate L2H1` (block 2, head 1), `ablate induction` or `ablate other`")
        }
        let run = try stillRun(for: "ablate")
        let layer: Int, head: Int
        if ["induction", "other"].contains(word.lowercased()) {
            // The head `show heads` marks: the highest induction score (which one differs between
            // machines); `other`: the head of its block with the lowest.
            guard let scores = HeadScores.of(run.trainer.model), let top = scores.max(by: { $0.induction < $1.induction }) else {
                throw DescentError("ablate: this model has no attention heads; `model gpt` has them")
            }
            if word.lowercased() == "induction" {
                (layer, head) = (top.layer, top.head)
            } else {
                guard let other = scores.filter({ $0.layer == top.layer && $0.head != top.head }).min(by: { $0.induction < $1.induction }) else {
                    throw DescentError("ablate other: block \(top.layer + 1) has one head only: name another, e.g. `ablate L1H1`")
                }
                (layer, head) = (other.layer, other.head)
            }
        } else if let named = Self.parseHead(word) {
            (layer, head) = named
        } else {
            throw DescentError("ablate \(word): expected a head as `show heads` names them, e.g. `ablate L2H1` (block 2, head 1), "
                               + "`ablate induction` (the marked head) or `ablate other` (another head of its block)")
        }
        let given = Self.headName(layer: layer, head: head)
        let blocks = run.trainer.model.layers.compactMap { $0 as? TransformerBlock }
        guard !blocks.isEmpty else { throw DescentError("ablate: this model has no attention heads; `model gpt` has them") }
        guard blocks.indices.contains(layer), (0..<blocks[layer].heads).contains(head) else {
            throw DescentError("ablate \(given): the model has blocks 1…\(blocks.count) of \(blocks[0].heads) head\(blocks[0].heads == 1 ? "" : "s") "
                               + "(L1H1 … L\(blocks.count)H\(blocks[0].heads))")
        }
        let validation = run.data.validation
        guard validation.count > 0, case .sequence = validation.task,
              let positions = Ablation.measure(run.trainer.model, x: validation.features, y: validation.targets, layer: layer, head: head),
              !positions.isEmpty else {
            throw DescentError("ablate: it measures a sequence model's answers per position (data sort, repeat, words …)")
        }
        bench.say("run \(run.id) with \(given)'s output set to zero, against intact, on the \(grouped(validation.count)) "
                  + "validation sequences, per position of the symbol read:", .info)
        var rows = [["position", "loss", "without", "accuracy", "without"]]
        for p in positions {
            rows.append(["\(p.position + 1)", fmt(p.loss), fmt(p.ablatedLoss), fmt(p.accuracy), fmt(p.ablatedAccuracy)])
        }
        let total = Double(positions.reduce(0) { $0 + $1.samples })
        func mean(_ f: (Ablation.Position) -> Double) -> Double { positions.reduce(0) { $0 + f($1) * Double($1.samples) } / total }
        rows.append(["all", fmt(mean(\.loss)), fmt(mean(\.ablatedLoss)), fmt(mean(\.accuracy)), fmt(mean(\.ablatedAccuracy))])
        bench.lastAblation = (run.id, given, mean(\.accuracy), mean(\.ablatedAccuracy), mean(\.loss), mean(\.ablatedLoss))
        bench.sayTable(rows)
        bench.say("the model is as it was: the head is silenced only while measuring", .info)
    }

    /// The value of a head or ablation metric for `expect`: `heads.induction`, `heads.previous`,
    /// `heads.copying` (the highest over the heads, now), `ablated.acc`, `ablated.loss`,
    /// `intact.acc`, `intact.loss` (the last `ablate` on this run); nil for another metric.
    func circuitMetric(_ metric: String) throws(DescentError) -> Double? {
        let parts = metric.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["heads", "ablated", "intact"].contains(parts[0]) else { return nil }
        let run = try stillRun(for: "expect \(metric)")
        if parts[0] == "heads" {
            guard let scores = HeadScores.of(run.trainer.model) else {
                throw DescentError("expect \(metric): this model has no attention heads; `model gpt` has them")
            }
            switch parts[1] {
            case "induction": return scores.map(\.induction).max()
            case "previous", "previous-token": return scores.map(\.previousToken).max()
            case "copying": return scores.map(\.copying).max()
            default: throw DescentError("expect \(metric): heads has induction, previous, copying (the highest over the heads)")
            }
        }
        guard let last = bench.lastAblation, last.run == run.id else {
            throw DescentError("expect \(metric): no `ablate` on run \(run.id) yet (`ablate induction` measures one)")
        }
        switch parts[1] {
        case "acc", "accuracy": return parts[0] == "ablated" ? last.ablatedAccuracy : last.accuracy
        case "loss": return parts[0] == "ablated" ? last.ablatedLoss : last.loss
        default: throw DescentError("expect \(metric): \(parts[0]) has acc and loss (over all positions of the last `ablate`)")
        }
    }

    /// The current run, when no thread drives it (these read and run its model directly).
    private func stillRun(for command: String) throws(DescentError) -> Run {
        guard let run = runs.current else {
            throw bench.currentRecord == nil ? DescentError("\(command): no model yet: `train` (or `step`) makes one") : runs.noLiveModel()
        }
        if case .driven? = runs.currentPhase {
            throw DescentError("\(command): run \(run.id) is training; it reads the model once no thread drives it "
                               + "(when it ends, or after `stop`); `show attention` follows it live")
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

    private func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
}
