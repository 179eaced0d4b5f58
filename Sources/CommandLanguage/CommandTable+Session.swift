/// Commands that inspect results and manage the session: show, runs, expect, notebooks, help.
extension CommandTable {
    static let inspection: [CommandSpec] = [
        CommandSpec(.show, group: .inspection, traits: .closesCell, summary: "bring a view into the panes",
                    arguments: [ArgumentSpec("VIEW", .keyword(ShowView.keywords), noun: "view")],
                    examples: ["show confusion", "show layers", "show misclassified 3 8", "show misclassified worst"]),
        CommandSpec(.gradcheck, group: .inspection, traits: .closesCell,
                    summary: "check backprop against finite differences on your model",
                    arguments: [ArgumentSpec("PARAM", .parameter, noun: "parameter", optional: true,
                                             summary: "a parameter, or one weight of it; all parameters when left out")],
                    examples: ["gradcheck", "gradcheck dense1.w", "gradcheck dense2.b[1]"]),
        CommandSpec(.ablate, group: .inspection, traits: .closesCell,
                    summary: "silence one head of a GPT: loss and accuracy per position",
                    arguments: [ArgumentSpec("HEAD", .name("head"), noun: "attention head",
                                             summary: "a head as `show heads` names it (L2H1 is block 2's first head); "
                                                + "induction: the head it marks; other: another head of that block; off")],
                    notes: "The head's output is set to zero and the validation split's loss and accuracy are shown "
                        + "per position beside the intact model's. It stays silent in show lens, show positions and "
                        + "show heads until `ablate off`; train and step bring it back. predict, generate, save "
                        + "and serve use the model as trained.",
                    examples: ["ablate L2H1", "ablate induction", "ablate other", "ablate off"]),
        CommandSpec(.patch, group: .inspection, traits: .closesCell,
                    summary: "a GPT's loss per position with one head fed a corrupted input",
                    arguments: [ArgumentSpec("HEAD", .name("head"), noun: "attention head",
                                             summary: "a head as `show heads` names it; induction or other as for ablate")],
                    notes: "Activation patching: the head's output on each validation sequence is replaced by its "
                        + "output on a copy whose first half is drawn again at random; the rest of the model sees "
                        + "the clean sequence. The model is left as it was.",
                    examples: ["patch L2H1", "patch induction", "patch other"]),
        CommandSpec(.rewind, group: .inspection, traits: .closesCell,
                    summary: "show the current run as it was at an earlier epoch",
                    arguments: [ArgumentSpec("EPOCH", .oneOf([.integer(.atLeast(0)), .keyword(RewindWord.keywords)]),
                                             noun: "epoch", summary: "an epoch of the run (0: its start), or off")],
                    notes: "The panes (decision boundary, confusion matrix, layers) draw the weights kept at the "
                        + "end of that epoch; the run itself does not change, and `train` or `step` go on from "
                        + "where it is. Alt-, and Alt-. step through the kept epochs.",
                    examples: ["rewind 50", "rewind 0", "rewind off"]),
        CommandSpec(.runs, group: .inspection, traits: .closesCell,
                    summary: "list the kept runs (all sessions), tag, show, export",
                    arguments: [ArgumentSpec("ACTION|RUN", .oneOf([.keyword(RunsAction.keywords), runReference]), noun: "action or run",
                                             optional: true, repeats: true,
                                             summary: "runs to list (names, numbers, `last N`, @N), or an action; the latest when none")],
                    options: [OptionSpec("data", .name("data"), summary: "runs whose data starts with this (iris, csv)"),
                              OptionSpec("model", .name("model"), summary: "runs whose model starts with this (mlp, softmax)"),
                              OptionSpec("tag", .name("tag"), summary: "runs tagged with this word"),
                              OptionSpec("best", .keyword(BestMetric.keywords), summary: "rank by a final figure, the best first"),
                              OptionSpec("page", .integer(.atLeast(1)), default: .number(1),
                                         summary: "20 runs a page, the latest first")],
                    usage: "runs [RUN …] [today] [data=…] [model=…] [tag=…] [best=…] [page=N] | runs show|delete RUN "
                        + "| runs tag|untag RUN WORD | runs export [RUN] FILE",
                    notes: "Every run is kept in the run store as it trains (README, Runs that last), across sessions: "
                        + "`runs` lists them, the latest first. A kept run is @N (its number in the store) wherever a run "
                        + "is named, and @WORD is the run tagged WORD most recently; this session's runs are also their number "
                        + "and name. `compare @12 last` overlays a kept run on the latest; `reopen @12` brings it back. "
                        + "Without a store (--no-store) `runs` lists this session's runs.",
                    examples: ["runs", "runs today data=iris best=val.acc", "runs show @12", "runs tag 3 baseline",
                               "runs export runs.csv", "runs export @12 again.md", "runs last 3"]),
        CommandSpec(.note, group: .inspection,
                    summary: "write a note on the current run (kept with it)",
                    arguments: [ArgumentSpec("TEXT", .name("text"), noun: "note", repeats: true,
                                             summary: "the note; without quotes, the rest of the line")],
                    notes: "`runs show @N` lists a run's notes with their time; they stay with the run in the store.",
                    examples: ["note \"adam beat momentum here\"", "note lr too high"]),
        CommandSpec(.expect, group: .inspection, traits: .closesCell,
                    summary: "check a result; a failed check fails the replay",
                    arguments: [
                        ArgumentSpec("METRIC", .metric, noun: "metric"),
                        ArgumentSpec("TEST", .keyword(Comparison.keywords + Trend.keywords), noun: "test"),
                    ],
                    options: [OptionSpec("run", .oneOf([.integer(.atLeast(1)), .keyword(optimizers), runName]),
                                         defaultNote: "the current run",
                                         summary: "which run: its number, its name, or the latest racer with that optimizer"),
                              OptionSpec("points", .number(.atLeast(0)), defaultNote: "none",
                                         summary: "what the check is worth when `descent grade` grades an assignment")],
                    usage: "expect METRIC >|<|>=|<=|== X [run=N|NAME|OPTIMIZER] [points=P] | expect METRIC decreasing|increasing [run=…]",
                    examples: ["expect val.acc > 0.9", "expect train.loss decreasing", "expect val.acc > 0.8 run=adam"]),
    ]

    static let session: [CommandSpec] = [
        CommandSpec(.record, group: .session, traits: .unrecorded,
                    summary: "write the commands you type to a notebook",
                    arguments: [ArgumentSpec("FILE", .oneOf([.keyword(RecordWord.keywords), .path]), noun: "file")],
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
        CommandSpec(.submit, group: .session, traits: .unrecorded,
                    summary: "hand in the open assignment as you ran it",
                    notes: "Writes submissions/FILE.md in the current folder: the assignment with each answer cell "
                        + "(```descent answer) holding the commands you ran while it was the current cell. "
                        + "`descent grade` replays it inside the teacher's copy: only your answers count, and every "
                        + "result is computed again.",
                    examples: ["submit"]),
        CommandSpec(.help, group: .session, traits: .unrecorded,
                    summary: "list the commands, or explain one (help keys: the keymap)",
                    arguments: [ArgumentSpec("COMMAND", .commandName, noun: "help topic",
                                             optional: true)],
                    examples: ["help", "help optimizer", "help keys"]),
        CommandSpec(.theme, group: .session, traits: .unrecorded,
                    summary: "switch the screen's colours (files in Themes/)",
                    arguments: [ArgumentSpec("NAME", .name("theme"), noun: "theme")],
                    examples: ["theme light", "theme mono"]),
        CommandSpec(.clear, group: .session, traits: .unrecorded,
                    summary: "empty the REPL (Ctrl-L too); nothing else changes",
                    examples: ["clear"]),
        CommandSpec(.quit, group: .session, traits: .unrecorded, summary: "leave Descent", examples: ["quit"]),
    ]
}
