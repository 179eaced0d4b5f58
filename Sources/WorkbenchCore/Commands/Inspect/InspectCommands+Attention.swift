import Foundation
import NeuralEngine
import Datasets
import Training
import CommandLanguage
import Models

extension InspectCommands {
    /// `show attention [LAYER] [HEAD] [SAMPLE]`: the attention weights of the current model on a
    /// validation sample, query positions by key positions, printed as shades and drawn in the
    /// evaluation pane, live while the run trains (each snapshot recomputes them). LAYER and HEAD
    /// count from 1 (HEAD 0: every head); SAMPLE is a validation sample, #1 the first.
    func showAttention(_ c: Command) throws(DescentError) {
        if c.keyword(AttentionWord.self, at: 1) == .served { return try display.models.followServed() }
        bench.views.attention.served = nil
        guard let run = runs.current else {
            throw bench.currentRecord == nil ? DescentError("show attention: no model yet: `train` (or `step`) makes one") : runs.noLiveModel()
        }
        let maps = run.trainer.model.attentionLayers.map { (name: $0.name, heads: $0.attention.heads) }
        guard !maps.isEmpty else {
            throw DescentError("show attention: this model has no attention layer; `model gpt` has one per block")
        }
        var view = bench.views.attention
        if let layer = c.positional(1)?.integer {
            guard layer >= 1, layer <= maps.count else {
                throw DescentError("show attention: the model has attention layers 1…\(maps.count) (\(maps.map(\.name).joined(separator: ", ")))")
            }
            view.layer = layer - 1
            view.head = nil
        }
        if let head = c.positional(2)?.integer {
            let heads = maps[view.layer].heads
            guard head >= 0, head <= heads else {
                throw DescentError("show attention: \(maps[view.layer].name) has heads 1…\(heads) (0: all of them)")
            }
            view.head = head == 0 ? nil : head - 1
        }
        var note = ""
        if let sample = c.positional(3)?.integer {
            // Samples count from 1 (#1 is the first); 0 was counted from 0 and means the first.
            let count = run.data.validation.count
            guard sample >= 0, sample <= count else {
                throw DescentError("show attention: the validation split has samples 1…\(count)")
            }
            if sample == 0 { note = " (sample 0 read as counting from 0: Descent counts from 1, so it is #1)" }
            view.sample = max(sample - 1, 0)
        }
        view.layer = min(view.layer, maps.count - 1)
        bench.views.attention = view
        bench.tell(runs.control(.probeAttention(sample: view.sample), to: run))
        if let back = bench.views.rewound { try? rewind(to: back.epoch, quietly: true) }
        guard let shown = display.attentionMaps else {
            throw DescentError("show attention: no attention measured yet: `step` once, then try again")
        }
        if !note.isEmpty { bench.say(note.trimmingCharacters(in: .whitespaces), .info) }
        for line in attentionText(shown, view: view) { bench.say(line, .table) }
        if bench.frontEnd.screenNote == nil {
            bench.say("drawn in the evaluation pane, live while training; F10 goes on to the next head and layer")
        }
    }

    /// The maps as text: for each head shown, a row per query position with one shade
    /// character per key (` .:-=+*#%@`, none to all of the attention), the symbols on both axes.
    func attentionText(_ maps: AttentionMaps, view: AttentionView) -> [String] {
        let layer = maps.layers[min(view.layer, maps.layers.count - 1)]
        let symbols = display.attentionSymbols(maps)
        let shades = Array(" .:-=+*#%@")
        var lines = ["attention in \(layer.name) (\(layer.heads) heads\(layer.causal ? ", causal" : "")) on validation sample \(SamplePreview.number(maps.sample)):"
                     + " rows are queries (the position reading), columns keys (the positions read)"]
        let heads = view.head.map { [$0] } ?? Array(0..<layer.heads)
        let labelWidth = symbols.map(\.count).max() ?? 1
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, labelWidth - s.count)) + s }
        var header = String(repeating: " ", count: labelWidth + 1)
        for h in heads { header += "head \(h + 1)".padding(toLength: 2 * layer.length + 2, withPad: " ", startingAt: 0) }
        lines.append(header.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        var keys = String(repeating: " ", count: labelWidth + 1)
        for _ in heads { keys += symbols.map { String($0.prefix(1)) }.joined(separator: " ") + "   " }
        lines.append(keys.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        for t in 0..<layer.length {
            var line = pad(t < symbols.count ? symbols[t] : "") + " "
            for h in heads {
                line += (0..<layer.length).map { s -> String in
                    if layer.causal && s > t { return " " }
                    let w = Double(layer.weight(head: h, query: t, key: s))
                    return String(shades[Int((min(1, max(0, w)) * Double(shades.count - 1)).rounded())])
                }.joined(separator: " ") + "   "
            }
            lines.append(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
        }
        // The key to the shades: a row's weights sum to 1, so one `@` is all of its attention.
        lines.append("shades from none to all of a row's attention: '\(String(shades))' (a step is 1/\(shades.count - 1))")
        return lines
    }
}
