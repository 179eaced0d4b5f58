/// Every data set `data` makes or reads.
public enum DatasetName: String, CommandKeyword {
    case circle, xor, gauss, spiral, moons, blobs, linear, plane, sine
    case iris, digits, reviews, sequence, sort, reverse, add
    case repeats = "repeat"
    case words, text, csv, idx

    /// The generated toy sets (their options: n, noise, k).
    public static let synthetic: [DatasetName] = [.circle, .xor, .gauss, .spiral, .moons, .blobs, .linear, .plane, .sine]
    /// minGPT's sequence problems and the induction task, for `model gpt`.
    public static let symbolTasks: [DatasetName] = [.sort, .reverse, .add, .repeats]

    public var summary: String {
        switch self {
        case .circle: "a disc inside a ring: two classes"
        case .xor: "four quadrants, opposite corners alike"
        case .gauss: "two Gaussian blobs"
        case .spiral: "two interleaved spiral arms"
        case .moons: "two interleaving half-moons"
        case .blobs: "k Gaussian clusters (k=)"
        case .linear: "regression: y = 2x + 1 + noise"
        case .plane: "regression: y = 2x₁ − x₂ + 0.5 + noise"
        case .sine: "regression: y = sin x + noise"
        case .iris: "150 flowers, 4 measurements, 3 species (a table)"
        case .digits: "1,797 handwritten digits, 8×8 pixels, 10 classes"
        case .reviews: "short reviews, positive or negative (generated text)"
        case .sequence: "noisy sine waves: predict the next value"
        case .sort: "digits to sort, then their sorted order (minGPT's task)"
        case .reverse: "digits, then the same digits in reverse order"
        case .add: "two numbers, then their sum (minGPT's adder)"
        case .repeats: "random symbols that repeat: induction heads' task"
        case .words: "4,000 English words, letter by letter (for generate)"
        case .text: "your own UTF-8 text file, letter by letter (≤ 10 MB)"
        case .csv: "a CSV file with a header row; label= names the target"
        case .idx: "MNIST-format image and label files (IDX)"
        }
    }

    public var arguments: [ArgumentSpec] {
        switch self {
        case .text: [ArgumentSpec("PATH", .path, noun: "text file")]
        case .csv: [ArgumentSpec("PATH", .path, noun: "CSV file")]
        case .idx: [ArgumentSpec("IMAGES", .path, noun: "IDX image file"), ArgumentSpec("LABELS", .path, noun: "IDX label file")]
        default: []
        }
    }
}

/// `data csv … task=`: how the label column is read.
public enum LabelTask: String, CommandKeyword {
    case auto, classes, regression

    public var summary: String {
        switch self {
        case .auto: "text or ≤ 10 whole numbers: classes; other numbers: regression"
        case .classes: "every distinct value is a class"
        case .regression: "predict the number"
        }
    }
}

/// `standardize=on|off`.
public enum Switch: String, CommandKeyword {
    case on, off
    public var summary: String { "" }
}

/// The model presets of `model`.
public enum ModelPreset: String, CommandKeyword {
    case linear, logistic, softmax, svm, mlp, cnn, textcls, rnn, gpt

    public var summary: String {
        switch self {
        case .linear: "one dense layer, no activation (regression)"
        case .logistic: "one dense layer, sigmoid (two classes)"
        case .softmax: "one dense layer, softmax (several classes)"
        case .svm: "one linear layer for the hinge loss"
        case .mlp: "hidden dense layers of these widths, then an output"
        case .cnn: "Conv2D 32 3x3 relu, MaxPool 2x2, Flatten, Dense softmax (images)"
        case .textcls: "Embedding 16, average pooling, Dense 16 relu, Dense 1 sigmoid (text)"
        case .rnn: "SimpleRNN 32 units, then Dense 1 (sequences)"
        case .gpt: "a tiny GPT: embeddings, transformer blocks, a head (symbols)"
        }
    }

    public var arguments: [ArgumentSpec] {
        switch self {
        case .mlp: [ArgumentSpec("WIDTHS", .units, noun: "hidden widths")]
        case .gpt: [ArgumentSpec(Self.attentionOnly, .keyword([Keyword(Self.attentionOnly, "blocks without their MLP (induction heads' model)")]),
                                 noun: "variant", optional: true)]
        default: []
        }
    }

    /// `model gpt attention-only`: blocks of attention alone.
    public static let attentionOnly = "attention-only"
}

/// The layer forms usable in each `|` segment of `model`.
public enum LayerKind: String, CommandKeyword {
    case dense, dropout

    public var summary: String {
        switch self {
        case .dense: "a fully connected layer of UNITS outputs, then ACT"
        case .dropout: "zero a fraction RATE of the inputs while training"
        }
    }

    public var arguments: [ArgumentSpec] {
        switch self {
        case .dense: [ArgumentSpec("UNITS", .integer(.closed(1, 1_000_000)), noun: "units"),
                      ArgumentSpec("ACT", .keyword(CommandTable.layerActivations), noun: "activation", optional: true,
                                   default: .word("linear"))]
        case .dropout: [ArgumentSpec("RATE", CommandTable.rate, noun: "dropout rate")]
        }
    }
}

/// `regularize l1|l2 [STRENGTH] | none`.
public enum RegularizerKind: String, CommandKeyword {
    case l1, l2, none

    public var summary: String {
        switch self {
        case .l1: "add STRENGTH · Σ|w| to the loss"
        case .l2: "add STRENGTH · Σw² to the loss"
        case .none: "no penalty"
        }
    }

    public var arguments: [ArgumentSpec] {
        self == .none ? [] : [ArgumentSpec("STRENGTH", .number(.atLeast(0)), noun: "strength", optional: true,
                                            default: .number(0.001))]
    }
}

/// `schedule NAME`: how the learning rate varies over a run.
public enum ScheduleKind: String, CommandKeyword {
    case none, constant, step, cosine, onecycle, plateau

    public var summary: String {
        switch self {
        case .none, .constant: "keep lr fixed"
        case .step: "multiply lr by gamma every N updates"
        case .cosine: "decay lr along a half cosine to 0"
        case .onecycle: "warm up, then anneal (one-cycle policy)"
        case .plateau: "cut lr when the validation loss stops improving"
        }
    }
}

/// `data csv … sep=…`: what separates a CSV file's fields (spelled as `CSVOptions.Separator`).
public enum CSVSeparatorWord: String, CommandKeyword {
    case auto, comma, semicolon, tab

    public var summary: String {
        switch self {
        case .auto: "commas, or semicolons or tabs when the header has those and no comma"
        case .comma: "a,b,c"
        case .semicolon: "a;b;c (Excel in much of Europe)"
        case .tab: "tab-separated"
        }
    }
}

/// `data csv … decimal=…`: how numbers mark their decimals (spelled as `CSVOptions.DecimalMark`).
public enum CSVDecimalWord: String, CommandKeyword {
    case auto, point, comma

    public var summary: String {
        switch self {
        case .auto: "commas when the fields are not comma-separated and numbers look like 5,1"
        case .point: "5.1"
        case .comma: "5,1"
        }
    }
}

/// `data csv … missing=…`: what to do with empty cells (spelled as `CSVOptions.Missing`).
public enum CSVMissingWord: String, CommandKeyword {
    case error, drop, mean, mode

    public var summary: String {
        switch self {
        case .error: "refuse the file, saying where the cells are"
        case .drop: "leave out rows with a missing cell"
        case .mean: "fill numbers with the column's mean, texts with its most frequent value"
        case .mode: "fill with the column's most frequent value"
        }
    }
}
