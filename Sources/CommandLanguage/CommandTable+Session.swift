/// Commands that inspect results and manage the session: show, runs, expect, notebooks, help.
extension CommandTable {
    static let inspection: [CommandSpec] = [
        CommandSpec(.show, group: .inspection, traits: .closesCell, summary: "bring a view into the panes",
                    arguments: [ArgumentSpec("VIEW", .keyword(views), noun: "view")],
                    examples: ["show confusion", "show layers", "show misclassified 3 8", "show misclassified worst"]),
        CommandSpec(.gradcheck, group: .inspection, traits: .closesCell,
                    summary: "check backprop against finite differences on your model",
                    arguments: [ArgumentSpec("PARAM", .parameter, noun: "parameter", optional: true,
                                             summary: "a parameter, or one weight of it; all parameters when left out")],
                    examples: ["gradcheck", "gradcheck dense1.w", "gradcheck dense2.b[0]"]),
        CommandSpec(.rewind, group: .inspection, traits: .closesCell,
                    summary: "show the current run as it was at an earlier epoch",
                    arguments: [ArgumentSpec("EPOCH", .oneOf([.integer(.atLeast(0)), .keyword([Keyword("off", "back to now")])]),
                                             noun: "epoch", summary: "an epoch of the run (0: its start), or off")],
                    notes: "The panes (decision boundary, confusion matrix, layers) draw the weights kept at the "
                        + "end of that epoch; the run itself does not change, and `train` or `step` go on from "
                        + "where it is. Alt-, and Alt-. step through the kept epochs.",
                    examples: ["rewind 50", "rewind 0", "rewind off"]),
        CommandSpec(.runs, group: .inspection, traits: .closesCell, summary: "list this session's runs",
                    examples: ["runs"]),
        CommandSpec(.expect, group: .inspection, traits: .closesCell,
                    summary: "check a result; a failed check fails the replay",
                    arguments: [
                        ArgumentSpec("METRIC", .metric, noun: "metric"),
                        ArgumentSpec("TEST", .keyword(comparisons + trends), noun: "test"),
                    ],
                    options: [OptionSpec("run", .oneOf([.integer(.atLeast(1)), .keyword(optimizers)]),
                                         defaultNote: "the current run",
                                         summary: "which run: its number, or the latest racer with that optimizer")],
                    usage: "expect METRIC >|<|>=|<=|== X [run=N|OPTIMIZER] | expect METRIC decreasing|increasing [run=…]",
                    examples: ["expect val.acc > 0.9", "expect train.loss decreasing", "expect val.acc > 0.8 run=adam"]),
    ]

    static let session: [CommandSpec] = [
        CommandSpec(.record, group: .session, traits: .unrecorded,
                    summary: "write the commands you type to a notebook",
                    arguments: [ArgumentSpec("FILE", .oneOf([
                        .keyword([Keyword("stop", "stop recording and close the file")]), .path,
                    ]), noun: "file")],
                    usage: "record FILE | record stop",
                    examples: ["record Notebooks/my-session.md", "record stop"]),
        CommandSpec(.replay, group: .session, traits: .unrecorded, summary: "run a notebook from start to end",
                    arguments: [ArgumentSpec("FILE", .path, noun: "file")],
                    examples: ["replay Notebooks/welcome.md", "replay \"my lessons/one.md\""]),
        CommandSpec(.lessons, group: .session, traits: .unrecorded,
                    summary: "list the lessons, in learning order",
                    examples: ["lessons"]),
        CommandSpec(.lesson, group: .session, traits: .unrecorded,
                    summary: "open lesson N or a notebook; `next` (F8) runs it cell by cell",
                    arguments: [ArgumentSpec("N|FILE", .oneOf([.integer(.closed(0, 99)), .path]), noun: "lesson number or file")],
                    examples: ["lesson 2", "lesson Notebooks/01-linear-regression.md"]),
        CommandSpec(.next, group: .session, traits: .unrecorded, summary: "run the next cell of the open lesson",
                    examples: ["next"]),
        CommandSpec(.help, group: .session, traits: .unrecorded,
                    summary: "list the commands, or explain one (help keys: the keymap)",
                    arguments: [ArgumentSpec("COMMAND", .commandName, noun: "help topic",
                                             optional: true)],
                    examples: ["help", "help optimizer", "help keys"]),
        CommandSpec(.theme, group: .session, traits: .unrecorded,
                    summary: "switch the screen's colours (files in Themes/)",
                    arguments: [ArgumentSpec("NAME", .name("theme"), noun: "theme")],
                    examples: ["theme light", "theme mono"]),
        CommandSpec(.quit, group: .session, traits: .unrecorded, summary: "leave Descent", examples: ["quit"]),
    ]

    static let views: [Keyword] = [
        Keyword("layers", "the model summary with weight and gradient norms"),
        Keyword("weights", "a small layer's weights and biases (all layers when LAYER is left out)", arguments: [
            ArgumentSpec("LAYER", .name("layer"), noun: "layer", optional: true),
        ]),
        Keyword("grads", "each layer's gradient norm in the last update, beside its weight norm"),
        Keyword("histograms", "layer health: weights, gradients, update size, saturated units"),
        Keyword("metrics", "the latest training and validation metrics"),
        Keyword("confusion", "the confusion matrix with precision, recall, F1"),
        Keyword("data", "the dataset"),
        Keyword("history", "metrics over the epochs"),
        Keyword("boundary", "the decision boundary over 2-D data (screen)"),
        Keyword("fit", "predictions against the truth (regression)"),
        Keyword("contour", "the loss over (w, b) with the optimizer's path (models with two parameters)"),
        Keyword("unit", "one hidden unit's activation over the plane (2-D data; layers as in `show layers`)", arguments: [
            ArgumentSpec("LAYER", .integer(.atLeast(1)), noun: "layer number"),
            ArgumentSpec("UNIT", .integer(.atLeast(1)), noun: "unit number", optional: true),
        ]),
        Keyword("attention", "a transformer's attention on a validation sample, per head (live)", arguments: [
            ArgumentSpec("LAYER", .integer(.atLeast(1)), noun: "attention layer number", optional: true),
            ArgumentSpec("HEAD", .integer(.atLeast(0)), noun: "head number (0: all)", optional: true),
            ArgumentSpec("SAMPLE", .integer(.atLeast(0)), noun: "validation sample", optional: true),
        ]),
        Keyword("ladder", "what a sequence model wrote each time its loss fell below a milestone"),
        misclassifiedView,
        Keyword("serve", "the model server's latest requests: time, path, status, latency"),
    ]

    static let trends: [Keyword] = [
        Keyword("decreasing", "lower at the end of the run than at the start"),
        Keyword("increasing", "higher at the end of the run than at the start"),
    ]
}
