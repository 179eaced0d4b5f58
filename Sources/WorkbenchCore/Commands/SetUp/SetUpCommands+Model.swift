import NeuralEngine
import CommandLanguage
import Models

extension SetUpCommands {
    /// The model spec a `model` command describes (the command table checked words and ranges).
    static func modelSpec(from c: Command) throws(DescentError) -> ModelSpec {
        var spec = try modelKind(from: c)
        spec.initScale = c.number("init").map(Float.init)
        return spec
    }

    private static func modelKind(from c: Command) throws(DescentError) -> ModelSpec {
        if let preset = c.keyword(ModelPreset.self) { return try presetSpec(preset, c) }
        var layers: [LayerConfig] = []
        for segment in 0..<c.segments.count {
            guard let kind = c.keyword(LayerKind.self, segment: segment) else {
                throw DescentError("model: expected a preset (\(ModelPreset.spellings)) or layers (\(LayerKind.spellings))")
            }
            switch kind {
            case .dense:
                guard let units = c.positional(1, segment: segment)?.integer, units >= 1 else {
                    throw DescentError("model: dense needs a whole number of units ≥ 1, e.g. `dense 8 tanh`")
                }
                let name = c.positional(orDefault: 2, segment: segment).text ?? ""
                guard let act = Activation(rawValue: name) else {
                    throw DescentError("model: unknown activation '\(name)'; expected one of "
                                       + Activation.allCases.map(\.rawValue).joined(separator: ", "))
                }
                layers.append(.dense(units: units, activation: act))
            case .dropout:
                guard let p = c.positional(1, segment: segment)?.number, p >= 0, p < 1 else {
                    throw DescentError("model: dropout needs a rate in [0, 1), e.g. `dropout 0.2`")
                }
                layers.append(.dropout(rate: Float(p)))
            }
        }
        guard !layers.isEmpty else { throw DescentError("model: expected at least one layer") }
        return ModelSpec(kind: .layers(layers))
    }

    private static func presetSpec(_ preset: ModelPreset, _ c: Command) throws(DescentError) -> ModelSpec {
        switch preset {
        case .linear: return ModelSpec(kind: .linear)
        case .logistic: return ModelSpec(kind: .logistic)
        case .softmax: return ModelSpec(kind: .softmax)
        case .svm: return ModelSpec(kind: .svm)
        case .cnn: return ModelSpec(kind: .cnn)
        case .textcls: return ModelSpec(kind: .textcls)
        case .rnn: return ModelSpec(kind: .rnn)
        case .gpt:
            let layers = c.integer(orDefault: "layers"), heads = c.integer(orDefault: "heads"), width = c.integer(orDefault: "width")
            guard width % heads == 0 else {
                throw DescentError("model gpt: width=\(width) must be a multiple of heads=\(heads) (each head gets width/heads values)")
            }
            if c.positional(1)?.text == ModelPreset.attentionOnly {
                return ModelSpec(kind: .attentionOnlyGPT(layers: layers, heads: heads, width: width))
            }
            return ModelSpec(kind: .gpt(layers: layers, heads: heads, width: width))
        case .mlp:
            guard let units = c.positional(1)?.numbers, !units.isEmpty,
                  units.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 <= 1_000_000 }) else {
                throw DescentError("model mlp: expected hidden widths like 8,8 (whole numbers from 1 to 1,000,000)")
            }
            let act = Activation(rawValue: c.value("act").text ?? "") ?? .relu
            return ModelSpec(kind: .mlp(hidden: units.map { Int($0) }, activation: act))
        }
    }
}
