/// What `set` changes in a run while it trains (or before its next update).
public enum LiveSetting: String, CommandKeyword {
    case lr, momentum, batch, pace

    public var summary: String {
        switch self {
        case .lr: "learning rate"
        case .momentum: "momentum (β₁ of Adam, ρ of RMSprop)"
        case .batch: "mini-batch size"
        case .pace: "updates per second, or max for full speed"
        }
    }

    public var arguments: [ArgumentSpec] {
        switch self {
        case .lr: [ArgumentSpec("LR", .oneOf([.number(.above(0)), .keyword(LearningRateWord.keywords)]), noun: "learning rate")]
        case .momentum: [ArgumentSpec("M", .number(.halfOpen(0, 1)), noun: "momentum")]
        case .batch: [ArgumentSpec("SIZE", CommandTable.batchSize, noun: "batch size")]
        case .pace: [ArgumentSpec("PACE", .oneOf([.number(.above(0)), .keyword(PaceWord.keywords)]), noun: "pace")]
        }
    }
}

/// `set lr suggested`.
public enum LearningRateWord: String, CommandKeyword {
    case suggested
    public var summary: String { "the last `lr find`'s suggestion" }
}

/// `set pace max`.
public enum PaceWord: String, CommandKeyword {
    case max
    public var summary: String { "as fast as possible" }
}

/// `batch full`, `set batch full`.
public enum BatchWord: String, CommandKeyword {
    case full
    public var summary: String { "the whole training set" }
}

/// `lr find`.
public enum LearningRateAction: String, CommandKeyword {
    case find
    public var summary: String { "sweep the rate up exponentially, one update each" }
}
