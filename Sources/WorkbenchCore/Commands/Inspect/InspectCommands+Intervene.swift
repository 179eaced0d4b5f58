import Foundation
import NeuralEngine
import Models
import Datasets
import CommandLanguage

extension InspectCommands {
    /// `ablate LxHy` (or `ablate induction`: the head with the highest induction score; `ablate
    /// other`: the head of its block with the lowest): the current sequence model's loss and
    /// accuracy at every scored position of the validation split with that head's output set to
    /// zero, beside intact (`Ablation`). The head stays silent in the views that read the model
    /// (`show lens`, `show positions`, `show heads`' losses) until `ablate off`, `train` or `step`;
    /// `predict`, `generate`, `save` and `serve` use the model as trained.
    func ablate(_ c: Command) throws(DescentError) {
        guard let word = c.positional(0)?.text else {
            throw DescentError("ablate: expected a head as `show heads` names them, e.g. `ablate L2H1` (block 2, head 1), "
                               + "`ablate induction`, `ablate other` or `ablate off`")
        }
        let run = try stillRun(for: "ablate")
        if word.lowercased() == "off" {
            let silenced = run.trainer.model.silencedHead
            run.trainer.model.liftInterventions()
            bench.say(silenced.map { "\(Self.headName(layer: $0.layer, head: $0.head)) speaks again: run \(run.id) is as trained" }
                      ?? "no head of run \(run.id) is silenced", .info)
            return
        }
        let (layer, head) = try chosenHead(word, in: run, command: "ablate")
        let given = Self.headName(layer: layer, head: head)
        run.trainer.model.liftInterventions()
        let validation = try sequenceValidation(of: run, command: "ablate")
        guard let effects = Ablation.measure(run.trainer.model, x: validation.features, y: validation.targets, layer: layer, head: head),
              !effects.isEmpty else { throw Self.needsSequences("ablate") }
        bench.say("run \(run.id) with \(given)'s output set to zero, against intact, on the \(grouped(validation.count)) "
                  + "validation sequences, per position of the symbol read:", .info)
        sayEffects(effects, changed: "without")
        bench.lastAblation = HeadEffectSummary(run: run.id, head: given, effects)
        run.trainer.model.silence(layer: layer, head: head)
        bench.say("\(given) stays silent in show lens, show positions and show heads until `ablate off` (train and step "
                  + "bring it back; predict, generate, save and serve use the model as trained)", .info)
    }

    /// `patch LxHy` (`induction`, `other` as for `ablate`): the same figures with the head's
    /// output on each validation sequence replaced by its output on a corrupted copy, whose
    /// symbols before the middle are drawn again at random (`Patching`). The model is left as it was.
    func patch(_ c: Command) throws(DescentError) {
        guard let word = c.positional(0)?.text else {
            throw DescentError("patch: expected a head as `show heads` names them, e.g. `patch L2H1`, `patch induction` or `patch other`")
        }
        let run = try stillRun(for: "patch")
        let (layer, head) = try chosenHead(word, in: run, command: "patch")
        let given = Self.headName(layer: layer, head: head)
        let validation = try sequenceValidation(of: run, command: "patch")
        guard let effects = Patching.measure(run.trainer.model, x: validation.features, y: validation.targets, layer: layer, head: head),
              !effects.isEmpty else { throw Self.needsSequences("patch") }
        let half = validation.features.shape[1] / 2
        bench.say("run \(run.id) with \(given)'s output taken from a corrupted copy of each sequence (symbols 1–\(half) "
                  + "drawn again, the rest kept), against clean, on the \(grouped(validation.count)) validation sequences:", .info)
        sayEffects(effects, changed: "patched")
        bench.lastPatch = HeadEffectSummary(run: run.id, head: given, effects)
        bench.say("a head whose output carries what came before changes the answers; the model is as it was", .info)
    }

    /// The head a word names: `L2H1`, `induction` (the highest induction score) or
    /// `other` (the head of that block with the lowest), checked against the model.
    private func chosenHead(_ word: String, in run: Run, command: String) throws(DescentError) -> (Int, Int) {
        let model = run.trainer.model
        let attentions = model.blockAttentions
        guard !attentions.isEmpty else { throw DescentError("\(command): this model has no attention heads; `model gpt` has them") }
        let layer: Int, head: Int
        switch word.lowercased() {
        case "induction", "other":
            // The head `show heads` marks (which one differs between machines), or another of its block.
            guard let scores = HeadScores.of(model), let top = scores.max(by: { $0.induction < $1.induction }) else {
                throw DescentError("\(command): this model has no attention heads; `model gpt` has them")
            }
            if word.lowercased() == "induction" { return (top.layer, top.head) }
            guard let other = scores.filter({ $0.layer == top.layer && $0.head != top.head }).min(by: { $0.induction < $1.induction }) else {
                throw DescentError("\(command) other: block \(top.layer + 1) has one head only: name another, e.g. `\(command) L1H1`")
            }
            return (other.layer, other.head)
        default:
            guard let named = Self.parseHead(word) else {
                throw DescentError("\(command) \(word): expected a head as `show heads` names them, e.g. `\(command) L2H1` (block 2, head 1), "
                                   + "`\(command) induction` (the marked head) or `\(command) other` (another head of its block)")
            }
            (layer, head) = named
        }
        guard attentions.indices.contains(layer), (0..<attentions[layer].heads).contains(head) else {
            let heads = attentions[0].heads
            throw DescentError("\(command) \(Self.headName(layer: layer, head: head)): the model has blocks 1…\(attentions.count) "
                               + "of \(heads) head\(heads == 1 ? "" : "s") (L1H1 … L\(attentions.count)H\(heads))")
        }
        return (layer, head)
    }

    private func sequenceValidation(of run: Run, command: String) throws(DescentError) -> Dataset {
        let validation = run.data.validation
        guard validation.count > 0, case .sequence = validation.task else { throw Self.needsSequences(command) }
        return validation
    }

    static func needsSequences(_ command: String) -> DescentError {
        DescentError("\(command): it measures a sequence model's answers per position (data sort, repeat, words …)")
    }

    /// Per position: loss and accuracy intact and changed, then all positions together.
    private func sayEffects(_ effects: [HeadEffect], changed: String) {
        let f = Self.twoPlaces
        var rows = [["position", "loss", changed, "accuracy", changed]]
        for e in effects {
            rows.append(["\(e.position + 1)", f(e.loss), f(e.changedLoss), f(e.accuracy), f(e.changedAccuracy)])
        }
        let all = HeadEffect.overall(effects)
        rows.append(["all", f(all.loss), f(all.changedLoss), f(all.accuracy), f(all.changedAccuracy)])
        bench.sayTable(rows)
    }
}
