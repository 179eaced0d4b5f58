/// What `show` brings into the panes.
public enum ShowView: String, CommandKeyword, Codable {
    case layers, weights, grads, histograms, metrics, confusion, data, history, boundary, fit, contour, unit
    case attention, heads, positions, lens, ladder, misclassified, serve

    public var summary: String {
        switch self {
        case .layers: "the model summary with weight and gradient norms"
        case .weights: "a small layer's weights and biases (all layers when LAYER is left out)"
        case .grads: "each layer's gradient norm in the last update, beside its weight norm"
        case .histograms: "layer health: weights, gradients, update size, saturated units"
        case .metrics: "the latest training and validation metrics"
        case .confusion: "the confusion matrix with precision, recall, F1"
        case .data: "the dataset"
        case .history: "metrics over the epochs"
        case .boundary: "the decision boundary over 2-D data (screen)"
        case .fit: "predictions against the truth (regression)"
        case .contour: "the loss over (w, b) with the optimizer's path (models with two parameters)"
        case .unit: "one hidden unit's activation over the plane (2-D data; layers as in `show layers`)"
        case .attention: "a transformer's attention on a validation sample, per head (live), or on what the server writes (served)"
        case .heads: "each attention head's previous-token, induction and copying scores, over the updates (a GPT)"
        case .positions: "a GPT's loss at each position of random symbols that repeat: in-context learning"
        case .lens: "what a GPT would predict after each block (the logit lens), on the validation split"
        case .ladder: "what a sequence model wrote each time its loss fell below a milestone"
        case .misclassified: "validation samples of class TRUE predicted as PRED, or the worst cell"
        case .serve: "the model server's latest requests (time, path, status, latency) and the texts it wrote"
        }
    }

    public var otherNames: [String] {
        switch self {
        case .layers: ["model", "summary", "architecture", "network"]
        case .weights: ["weight", "params", "parameters", "biases"]
        case .grads: ["gradients", "gradient", "grad"]
        case .histograms: ["histogram", "health"]
        case .metrics: ["accuracy", "scores", "score", "evaluation", "eval"]
        case .confusion: ["matrix", "confusion-matrix"]
        case .data: ["dataset", "rows", "table"]
        case .history: ["loss", "losses", "curve", "curves", "epochs"]
        case .boundary: ["decision", "plane"]
        case .fit: ["predictions", "residuals"]
        case .contour: ["landscape", "surface"]
        case .unit: ["units", "neuron", "neurons"]
        case .attention: ["attn"]
        case .misclassified: ["mistakes", "errors", "wrong"]
        case .serve: ["server", "requests"]
        default: []
        }
    }

    public var arguments: [ArgumentSpec] {
        switch self {
        case .weights: [ArgumentSpec("LAYER", .name("layer"), noun: "layer", optional: true)]
        case .unit: [ArgumentSpec("LAYER", .integer(.atLeast(1)), noun: "layer number"),
                     ArgumentSpec("UNIT", .integer(.atLeast(1)), noun: "unit number", optional: true, default: .number(1))]
        case .attention: [ArgumentSpec("LAYER", .oneOf([.keyword(AttentionWord.keywords), .integer(.atLeast(1))]),
                                       noun: "attention layer number, or served", optional: true,
                                       summary: "an attention layer, or served: follow the text the model server writes"),
                          ArgumentSpec("HEAD", .integer(.atLeast(0)), noun: "head number (0: all)", optional: true,
                                       summary: "one head, #1 the first; 0 or left out: every head"),
                          ArgumentSpec("SAMPLE", .integer(.atLeast(0)), noun: "validation sample", optional: true,
                                       summary: "a validation sample, #1 the first")]
        case .misclassified: [
            ArgumentSpec("TRUE", .oneOf([.keyword(MisclassifiedWord.keywords), CommandTable.className]),
                         noun: "true class", summary: "the true class: its name, or its place in the list (#1 the first)"),
            ArgumentSpec("PRED", CommandTable.className, noun: "predicted class", optional: true,
                         summary: "the predicted class (not after worst)"),
        ]
        default: []
        }
    }
}

/// `show attention served`: the attention of the text the model server is writing.
public enum AttentionWord: String, CommandKeyword {
    case served
    public var summary: String { "the attention of the latest text the model server wrote, token by token as it writes" }
}

/// `show misclassified worst`: the confusion-matrix cell with the most mistakes.
public enum MisclassifiedWord: String, CommandKeyword {
    case worst
    public var summary: String { "the most frequent confusion" }
}

/// `rewind off`: the panes back to now.
public enum RewindWord: String, CommandKeyword {
    case off
    public var summary: String { "back to now" }
}

/// How `expect` compares a metric with a number.
public enum Comparison: String, CommandKeyword {
    case above = ">", below = "<", atLeast = ">=", atMost = "<=", equal = "=="

    public var summary: String {
        switch self {
        case .above: "above X"
        case .below: "below X"
        case .atLeast: "at least X"
        case .atMost: "at most X"
        case .equal: "equal to X"
        }
    }

    public var arguments: [ArgumentSpec] { [ArgumentSpec("X", .number(.any), noun: "threshold")] }

    /// Whether `value` stands in this relation to `bound` (`==` within 1e-9, relative).
    public func holds(_ value: Double, _ bound: Double) -> Bool {
        switch self {
        case .above: value > bound
        case .below: value < bound
        case .atLeast: value >= bound
        case .atMost: value <= bound
        case .equal: abs(value - bound) <= 1e-9 * max(1, abs(bound))
        }
    }
}

/// `expect METRIC decreasing|increasing`: which way a metric went over a run's epochs.
public enum Trend: String, CommandKeyword {
    case decreasing, increasing

    public var summary: String {
        switch self {
        case .decreasing: "lower at the end of the run than at the start"
        case .increasing: "higher at the end of the run than at the start"
        }
    }
}

/// What `runs` does with the run store, beyond listing.
public enum RunsAction: String, CommandKeyword {
    case show, tag, untag, delete, export, today

    public var summary: String {
        switch self {
        case .show: "everything kept of one run: set-up, epochs, changes, notes, machine, the commands that made it"
        case .tag: "tag a run with a word (`runs tag=WORD` lists them; `@WORD` refers to the latest)"
        case .untag: "take a tag off a run"
        case .delete: "delete a kept run (named @N: it cannot be undone), its epochs, notes and weights"
        case .export: "every kept run (or those the filters pick) as CSV, or one run's commands as a notebook (.md)"
        case .today: "only runs started today"
        }
    }

    public var arguments: [ArgumentSpec] {
        switch self {
        case .show, .delete: [ArgumentSpec("RUN", CommandTable.runReference, noun: "run")]
        case .tag, .untag: [ArgumentSpec("RUN", CommandTable.runReference, noun: "run"),
                            ArgumentSpec("WORD", .name("tag"), noun: "tag")]
        case .export: [ArgumentSpec("RUN", CommandTable.runReference, noun: "run", optional: true,
                                    summary: "a run, for its commands as a notebook"),
                       ArgumentSpec("FILE", .path, noun: "file")]
        case .today: []
        }
    }
}

/// `runs best=…`: which figure ranks the kept runs.
public enum BestMetric: String, CommandKeyword {
    case valLoss = "val.loss"
    case valAcc = "val.acc"
    case valR2 = "val.r2"
    case loss

    public var summary: String {
        switch self {
        case .valLoss: "lowest validation loss first"
        case .valAcc: "highest validation accuracy first"
        case .valR2: "highest validation R² first"
        case .loss: "lowest final training loss first"
        }
    }
}
