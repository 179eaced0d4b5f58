import NeuralEngine

extension OptimizerConfig {
    /// How the command language writes it: the name, η, the momentum of the momentum methods,
    /// and every other setting that differs from its default: `momentum lr=0.05 momentum=0.9`.
    public var description: String {
        let defaults = OptimizerConfig(kind)
        let momentumMethods: Set<OptimizerKind> = [.momentum, .nesterov]
        let shown = settings.filter { setting in
            setting.key == .lr || (setting.key == .momentum && momentumMethods.contains(kind))
                || defaults.value(setting.key) != setting.value
        }
        return ([kind.rawValue] + shown.map { "\($0.key.rawValue)=\(fmt($0.value))" }).joined(separator: " ")
    }
}

extension Regularizer {
    /// `l2 0.001`.
    public var description: String {
        switch self {
        case .l1(let s): "l1 \(fmt(s))"
        case .l2(let s): "l2 \(fmt(s))"
        }
    }
}

extension Schedule {
    /// `cosine`, `step every=10 gamma=0.5`.
    public var description: String {
        switch self {
        case .constant: "none"
        case .cosine: "cosine"
        case .oneCycle: "onecycle"
        case let .step(every, gamma): "step every=\(every) gamma=\(fmt(gamma))"
        case let .plateau(patience, factor): "plateau patience=\(patience) factor=\(fmt(factor))"
        }
    }
}

extension Setup {
    /// The set-up commands after `seed` and `data` that rebuild this set-up on a fresh one:
    /// each element that differs from `Setup.fresh`, in the order a lesson writes them.
    public var modelCommands: [String] {
        let fresh = Setup.fresh
        var lines: [String] = []
        if let model { lines.append("model \(model.description)") }
        if let loss { lines.append("loss \(loss.rawValue)") }
        if optimizer != fresh.optimizer { lines.append("optimizer \(optimizer.description)") }
        if let regularizer { lines.append("regularize \(regularizer.description)") }
        if let dropout { lines.append("dropout \(fmt(dropout))") }
        if batch != fresh.batch { lines.append("batch \(batch.description)") }
        if schedule != fresh.schedule { lines.append("schedule \(schedule.description)") }
        if let pace { lines.append("set pace " + (pace == .max ? "max" : fmt(pace.rate))) }
        return lines
    }
}
