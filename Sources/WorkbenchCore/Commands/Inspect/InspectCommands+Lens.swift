import Foundation
import NeuralEngine
import Datasets
import Models
import CommandLanguage

extension InspectCommands {
    /// `show lens`: the logit lens (`LogitLens`): what the current GPT would predict after its
    /// embeddings and after each block, read through its own final norm and head, over the
    /// validation split's scored positions, and for the first validation sequence symbol by
    /// symbol (✗ for a wrong guess).
    func showLens() throws(DescentError) {
        let run = try stillRun(for: "show lens")
        let validation = run.data.validation
        guard validation.count > 0, case .sequence = validation.task,
              let stages = LogitLens.read(run.trainer.model, x: validation.features, y: validation.targets) else {
            if run.trainer.model.blockAttentions.isEmpty { throw Self.noHeads("show lens") }
            throw Self.needsSequences("show lens")
        }
        let f = Self.twoPlaces
        let names: [String] = if case .symbols(let vocabulary, _, _) = validation.kind { vocabulary } else { [] }
        func symbol(_ id: Int) -> String { id >= 0 && id < names.count ? names[id] : "\(id)" }
        let T = validation.features.shape[1]
        let input = (0..<T).map { Int(validation.features.scalars[$0]) }
        let target = (0..<T).map { Int(validation.targets.scalars[$0]) }
        let width = max(1, (names.map(\.count).max() ?? 1))
        func cell(_ text: String) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        // Every position, the unscored ones as `·`; in a REPL too narrow for them, the sequence
        // is read out above and the table keeps the scored positions (`from`).
        func rows(from: Int) -> [[String]] {
            func line(_ ids: [Int], scoredOnly: Bool) -> String {
                ids.enumerated().dropFirst(from).map { t, id in scoredOnly && target[t] < 0 ? cell("·") : cell(symbol(id)) }
                    .joined(separator: " ")
            }
            var rows = [["after", "loss", "accuracy", from == 0 ? "sequence 1: the symbol it would write next"
                                                      : "its next symbol, positions \(from + 1)–\(T)"]]
            if from == 0 { rows.append(["reads", "", "", line(input, scoredOnly: false)]) }
            rows.append(["answer", "", "", line(target, scoredOnly: true)])
            for stage in stages {
                let right = zip(stage.predicted, target).enumerated().dropFirst(from)
                    .map { _, pair in pair.1 < 0 ? cell("·") : cell(pair.0 == pair.1 ? symbol(pair.0) : "✗") }
                rows.append([stage.after == 0 ? "embedding" : "block \(stage.after)", f(stage.loss), f(stage.accuracy),
                             right.joined(separator: " ")])
            }
            return rows
        }
        bench.say("run \(run.id) read after each layer through its final norm and head (the logit lens), "
                  + "on the \(grouped(validation.count)) validation sequences:", .info)
        let whole = rows(from: 0)
        if table(whole, leftAligned: [0, 3]).allSatisfy({ $0.count <= bench.frontEnd.textWidth }) {
            bench.sayTable(whole, leftAligned: [0, 3])
        } else {
            let first = target.firstIndex { $0 >= 0 } ?? 0
            bench.say("sequence 1 reads: " + input.map(symbol).joined(separator: " "))
            bench.sayTable(rows(from: first), leftAligned: [0, 3])
        }
        bench.say("✗: a wrong guess; ·: not scored. The last row is the model's own answer"
                  + (run.trainer.model.silencedHead.map { ", with \(Self.headName(layer: $0.layer, head: $0.head)) silenced" } ?? ""), .info)
    }
}
