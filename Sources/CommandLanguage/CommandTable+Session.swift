/// Commands that inspect results and manage the session: show, runs, expect, notebooks, help.
extension CommandTable {
    static let inspection: [CommandSpec] = [
        CommandSpec(.show, group: .inspection, traits: .closesCell, summary: "bring a view into the panes",
                    arguments: [ArgumentSpec("VIEW", .keyword(views), noun: "view")],
                    examples: ["show confusion", "show layers", "show misclassified 3 8", "show misclassified worst"]),
        CommandSpec(.runs, group: .inspection, traits: .closesCell, summary: "list this session's runs",
                    examples: ["runs"]),
        CommandSpec(.expect, group: .inspection, traits: .closesCell,
                    summary: "check a result; a failed check fails the replay",
                    arguments: [
                        ArgumentSpec("METRIC", .metric, noun: "metric"),
                        ArgumentSpec("TEST", .keyword(comparisons + trends), noun: "test"),
                    ],
                    usage: "expect METRIC >|<|>=|<=|== X | expect METRIC decreasing|increasing",
                    examples: ["expect val.acc > 0.9", "expect train.loss decreasing"]),
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
        CommandSpec(.lesson, group: .session, traits: .unrecorded,
                    summary: "open a notebook as a lesson: `next` (F8) runs it cell by cell",
                    arguments: [ArgumentSpec("FILE", .path, noun: "file")],
                    examples: ["lesson Notebooks/01-linear-regression.md"]),
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
        Keyword("metrics", "the latest training and validation metrics"),
        Keyword("confusion", "the confusion matrix with precision, recall, F1"),
        Keyword("data", "the dataset"),
        Keyword("history", "metrics over the epochs"),
        Keyword("boundary", "the decision boundary over 2-D data (screen)"),
        Keyword("fit", "predictions against the truth (regression)"),
        misclassifiedView,
    ]

    static let trends: [Keyword] = [
        Keyword("decreasing", "lower at the end of the run than at the start"),
        Keyword("increasing", "higher at the end of the run than at the start"),
    ]
}
