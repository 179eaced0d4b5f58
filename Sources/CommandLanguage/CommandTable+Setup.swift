/// Commands that set up a run: seed, data, model, loss, optimizer and training knobs.
extension CommandTable {
    static let setup: [CommandSpec] = setupCommands + evaluation

    private static let setupCommands: [CommandSpec] = [
        CommandSpec(.seed, group: .setup,
                    summary: "fix the random seed so every run repeats exactly",
                    arguments: [ArgumentSpec("N", .integer(.atLeast(0)), noun: "seed")],
                    examples: ["seed 42"]),
        CommandSpec(.reset, group: .setup, traits: .setUp,
                    summary: "a fresh set-up, as a new session has it (runs are kept)",
                    notes: "Opening a lesson does the same. A lesson's set-up (its seed, optimizer, batch …) stays "
                        + "while you try variants of its data, and is left behind when you choose data of another kind "
                        + "(said in one line); the same holds after `load`, which never brings a saved pace.",
                    examples: ["reset"]),
        CommandSpec(.data, group: .setup, traits: .setUp, summary: "generate, load or open a dataset to learn from",
                    arguments: [ArgumentSpec("NAME", .keyword(datasets), noun: "dataset")],
                    options: dataOptions,
                    usage: "data NAME [key=value …] | data csv PATH label=COLUMN [sep=…] [decimal=…] [missing=…] | data idx IMAGES LABELS",
                    examples: ["data spiral n=400 noise=0.2 split=0.8", "data blobs k=4", "data digits",
                               "data csv flowers.csv label=species standardize=off",
                               "data csv \"my data.csv\" label=\"the label\" missing=drop",
                               "data csv europe.csv label=class sep=semicolon decimal=comma",
                               "data idx train-images-idx3-ubyte train-labels-idx1-ubyte"]),
        CommandSpec(.model, group: .setup, traits: .setUp,
                    summary: "build a model from a preset or layer by layer",
                    arguments: [ArgumentSpec("PRESET", .keyword(presets + layers), noun: "model")],
                    segmentArguments: [ArgumentSpec("LAYER", .keyword(layers), noun: "layer")],
                    options: [
                        OptionSpec("act", .keyword(hiddenActivations), default: .word("relu"),
                                   appliesTo: ["mlp"], otherNames: ["activation"], summary: "activation of the hidden layers"),
                        OptionSpec("init", .number(NumberRange(lower: 0, includesLower: false, upper: 1000)),
                                   default: .number(1), summary: "initial weights × this (10 saturates tanh)"),
                        OptionSpec("layers", .integer(.closed(1, 12)), default: .number(3), appliesTo: ["gpt"],
                                   summary: "transformer blocks"),
                        OptionSpec("heads", .integer(.closed(1, 16)), default: .number(3), appliesTo: ["gpt"],
                                   summary: "attention heads per block"),
                        OptionSpec("width", .integer(.closed(1, 1024)), default: .number(48), appliesTo: ["gpt"],
                                   summary: "values per position (a multiple of heads)"),
                    ],
                    usage: "model PRESET | model LAYER [| LAYER …]",
                    examples: ["model mlp 8,8 act=tanh", "model dense 8 tanh | dense 1 sigmoid",
                               "model cnn       # digits: optimizer adam lr=0.005, train epochs=5",
                               "model textcls   # reviews: optimizer adam lr=0.01, train epochs=10",
                               "model rnn       # sequence: optimizer adam lr=0.01, train epochs=20",
                               "model gpt       # sort: optimizer adam lr=0.0005, batch 64, train epochs=10"]),
        CommandSpec(.loss, group: .setup, traits: .setUp, summary: "choose the loss the model minimises",
                    arguments: [ArgumentSpec("NAME", .keyword(losses), noun: "loss")],
                    examples: ["loss bce"]),
        CommandSpec(.optimizer, group: .setup, traits: .setUp,
                    summary: "choose how gradients update the weights",
                    arguments: [ArgumentSpec("NAME", .keyword(optimizers), noun: "optimizer")],
                    options: optimizerOptions,
                    examples: ["optimizer adam lr=0.01", "optimizer momentum lr=0.05 momentum=0.9"]),
        CommandSpec(.regularize, group: .setup, traits: .setUp, summary: "penalise large weights",
                    arguments: [ArgumentSpec("KIND", .keyword(regularizers), noun: "regularizer")],
                    usage: "regularize l1|l2 [STRENGTH] | regularize none",
                    examples: ["regularize l2 0.001", "regularize none"]),
        CommandSpec(.dropout, group: .setup, traits: .setUp,
                    summary: "drop a fraction of hidden units while training",
                    arguments: [ArgumentSpec("RATE", rate, noun: "dropout rate")],
                    examples: ["dropout 0.2"]),
        CommandSpec(.batch, group: .setup, traits: .setUp,
                    summary: "set the mini-batch size (full = gradient descent, 1 = SGD)",
                    arguments: [ArgumentSpec("SIZE", batchSize, noun: "batch size")],
                    examples: ["batch 32", "batch full"]),
        CommandSpec(.schedule, group: .setup, traits: .setUp, summary: "vary the learning rate during a run",
                    arguments: [ArgumentSpec("NAME", .keyword(schedules), noun: "schedule")],
                    options: [
                        OptionSpec("every", .integer(.atLeast(1)), default: .number(10),
                                   appliesTo: ["step"], summary: "updates between steps"),
                        OptionSpec("gamma", .number(NumberRange(lower: 0, includesLower: false,
                                                                upper: 1)),
                                   default: .number(0.5), appliesTo: ["step"],
                                   summary: "factor applied to lr at each step"),
                        OptionSpec("patience", .integer(.atLeast(1)), default: .number(5), appliesTo: ["plateau"],
                                   summary: "epochs without a better validation loss before a cut"),
                        OptionSpec("factor", .number(NumberRange(lower: 0, includesLower: false, upper: 1)),
                                   default: .number(0.5), appliesTo: ["plateau"], summary: "what each cut multiplies lr by"),
                    ],
                    examples: ["schedule cosine", "schedule step every=10 gamma=0.5", "schedule plateau patience=5 factor=0.5"]),
    ]

    static let datasets = DatasetName.keywords

    static let dataOptions: [OptionSpec] = {
        let synthetic = DatasetName.synthetic.map(\.rawValue)
        let symbolTasks = DatasetName.symbolTasks.map(\.rawValue)
        return [
            OptionSpec("n", .integer(.closed(2, 1_000_000)),
                       defaultNote: "400; 100 for linear; 200 for plane, sine; 2000 for reviews; 1000 for sequence; 10000 for sort, reverse, add, repeat",
                       appliesTo: synthetic + ["reviews", "sequence"] + symbolTasks, summary: "number of samples"),
            OptionSpec("noise", .number(.atLeast(0)), defaultNote: "0.1, or 0.05 for sequence",
                       appliesTo: synthetic + ["sequence"], summary: "noise, in units of the dataset's scale"),
            OptionSpec("split", .number(.open(0, 1)), default: .number(0.8),
                       summary: "fraction of samples for training (the rest validate)"),
            OptionSpec("k", .integer(.closed(2, 10)), default: .number(3),
                       appliesTo: ["blobs"], summary: "number of clusters"),
            OptionSpec("length", .integer(.closed(2, 1000)),
                       defaultNote: "24 words, 20 steps, 6 digits to sort, 8 symbols to repeat, 16 or 32 characters",
                       appliesTo: ["reviews", "sequence", "sort", "reverse", "repeat", "words", "text"],
                       summary: "words per text, steps per sequence (n × length ≤ 20,000,000), digits to sort or symbols "
                           + "to repeat (≤ 20), characters a model reads (≤ 256)"),
            OptionSpec("digits", .integer(.closed(1, 64)), defaultNote: "3 for sort, reverse; 2 for add; 16 for repeat",
                       appliesTo: symbolTasks, summary: "distinct digits to sort (2…10), digits per number to add (1…6), "
                           + "or distinct symbols to repeat (2…64)"),
            OptionSpec("label", .name("column"), appliesTo: ["csv"], otherNames: ["target", "y", "class", "labels", "column"],
                       summary: "the column to predict"),
            OptionSpec("task", .keyword(LabelTask.keywords), default: .word("auto"), appliesTo: ["csv"],
                       summary: "how to read the label column"),
            OptionSpec("sep", .keyword(CSVSeparatorWord.keywords), default: .word("auto"), appliesTo: ["csv"],
                       otherNames: ["delimiter", "separator", "delim"],
                       summary: "what separates the fields"),
            OptionSpec("decimal", .keyword(CSVDecimalWord.keywords), default: .word("auto"), appliesTo: ["csv"],
                       summary: "how numbers mark their decimals"),
            OptionSpec("missing", .keyword(CSVMissingWord.keywords), default: .word("error"), appliesTo: ["csv"],
                       summary: "what to do with empty cells"),
            OptionSpec("standardize", .keyword(Switch.keywords), default: .word("on"),
                       appliesTo: synthetic + ["iris", "csv"],
                       summary: "rescale table columns to mean 0, deviation 1 (training split's statistics)"),
        ]
    }()

    static let presets = ModelPreset.keywords

    static let losses: [Keyword] = [
        Keyword("mse", "mean squared error (regression)"),
        Keyword("bce", "binary cross-entropy (two classes)"),
        Keyword("ce", "softmax cross-entropy (several classes)"),
        Keyword("hinge", "hinge loss (SVM)"),
    ]

    static let optimizers: [Keyword] = [
        Keyword("gd", "gradient descent"),
        Keyword("sgd", "stochastic gradient descent"),
        Keyword("momentum", "SGD with momentum"),
        Keyword("nesterov", "Nesterov accelerated gradient"),
        Keyword("rmsprop", "divide by a running RMS of gradients"),
        Keyword("adagrad", "divide by accumulated squared gradients"),
        Keyword("adam", "momentum + RMSprop, bias-corrected"),
        Keyword("adamw", "Adam with decoupled weight decay"),
    ]

    static let optimizerOptions: [OptionSpec] = [
        OptionSpec("lr", .number(.above(0)), default: .number(0.01),
                   otherNames: ["learning_rate", "learningrate", "rate", "alpha", "eta"], summary: "learning rate"),
        OptionSpec("momentum", .number(.halfOpen(0, 1)), default: .number(0.9),
                   appliesTo: ["momentum", "nesterov", "rmsprop"],
                   summary: "velocity kept per update (rmsprop: decay ρ)"),
        OptionSpec("beta1", .number(.halfOpen(0, 1)), default: .number(0.9),
                   appliesTo: ["adam", "adamw"], summary: "decay of the gradient mean"),
        OptionSpec("beta2", .number(.halfOpen(0, 1)), default: .number(0.999),
                   appliesTo: ["adam", "adamw"], summary: "decay of the squared-gradient mean"),
        OptionSpec("eps", .number(.above(0)), default: .number(1e-7),
                   appliesTo: ["rmsprop", "adagrad", "adam", "adamw"], otherNames: ["epsilon"],
                   summary: "added to the denominator for stability"),
        OptionSpec("decay", .number(.atLeast(0)), defaultNote: "0, or 0.004 for adamw",
                   appliesTo: ["adam", "adamw"], otherNames: ["weight_decay"], summary: "weight decay"),
    ]

    static let regularizers = RegularizerKind.keywords

    static let batchSize = ArgumentKind.oneOf([.integer(.atLeast(1)), .keyword(BatchWord.keywords)])

    static let schedules = ScheduleKind.keywords
}
