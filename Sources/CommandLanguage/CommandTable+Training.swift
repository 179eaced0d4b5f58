/// Commands that drive a run: start it, pause it, step it, and change it while it runs.
extension CommandTable {
    static let training: [CommandSpec] = [
        CommandSpec(.train, group: .training, traits: .closesCell,
                    summary: "train in the background (a notebook waits for it to end)",
                    options: [
                        OptionSpec("epochs", .integer(.closed(1, 1_000_000)),
                                   default: .number(100),
                                   summary: "passes over the training set; a run that goes on (stepped or loaded) ends at epoch N, its own epochs counted, or makes N more once it is there"),
                        OptionSpec("patience", .integer(.closed(1, 1_000_000)),
                                   summary: "early stopping: end after this many epochs without a better validation loss, on the best epoch's weights"),
                        OptionSpec("name", runName,
                                   summary: "a name for the run, by which `compare`, `runs` and `expect run=` find it (the latest run of that name)"),
                    ],
                    examples: ["train epochs=50", "train epochs=500 patience=20", "train epochs=20 name=slow"]),
        CommandSpec(.lr, group: .training, traits: .closesCell,
                    summary: "find a learning rate: the LR range test on a copy of the model",
                    arguments: [ArgumentSpec("ACTION", .keyword(LearningRateAction.keywords),
                                             noun: "lr action", summary: "`set lr X` changes the rate itself")],
                    options: [
                        OptionSpec("from", .number(.above(0)), default: .number(1e-6), summary: "the first rate tried"),
                        OptionSpec("to", .number(.above(0)), default: .number(10), summary: "the last rate tried"),
                    ],
                    notes: "It trains a copy of the current run's weights (or the next run's, before any run), one "
                        + "update per rate, and stops when the smoothed loss passes 4 times its minimum. Your model is "
                        + "not touched. `set lr suggested` then uses the suggestion.",
                    examples: ["lr find", "lr find from=1e-4 to=1", "set lr suggested"]),
        CommandSpec(.pause, group: .training, summary: "pause the running training",
                    examples: ["pause"]),
        CommandSpec(.resume, group: .training, summary: "continue a paused training",
                    examples: ["resume"]),
        CommandSpec(.stop, group: .training, summary: "end the run, keeping its weights",
                    examples: ["stop"]),
        CommandSpec(.step, group: .training, traits: .closesCell,
                    summary: "make N updates, then explain the watched parameter",
                    arguments: [ArgumentSpec("N", .integer(.closed(1, 1_000_000)), noun: "step count",
                                             optional: true, default: .number(1))],
                    examples: ["step", "step 10"]),
        CommandSpec(.watch, group: .training, summary: "choose the parameter `step` explains",
                    arguments: [ArgumentSpec("PARAM", .parameter, noun: "parameter",
                                             summary: "layer.w[row,col] or layer.b[i], counted from 1")],
                    notes: Help.countingRule,
                    examples: ["watch dense1.w[4,1]", "watch dense2.b[1]"]),
        CommandSpec(.set, group: .training,
                    summary: "change a setting of the current run at its next update",
                    arguments: [ArgumentSpec("KEY", .keyword(liveSettings), noun: "setting")],
                    usage: "set KEY VALUE",
                    notes: "`set` changes the current run: the one training, or the last one, for `step`. "
                        + "It never changes later runs: set-up commands do (`optimizer adam lr=0.01`, `batch 32`, "
                        + "`schedule cosine` …), and a lesson starts from a fresh set-up. With no run yet, "
                        + "`set` sets up the next one.",
                    examples: ["set lr 0.003", "set momentum 0.9", "set pace max"]),
        CommandSpec(.undo, group: .training, traits: .closesCell,
                    summary: "take back the last `set` on the current run",
                    notes: "The run goes back to the weights, the optimizer state and the setting it had just before its "
                        + "last `set lr`, `set momentum` or `set batch` (one level: the last change). A run whose loss blows up "
                        + "is caught by itself: it pauses and goes back to its last sane weights when " + divergenceRule + ".",
                    examples: ["set lr 500", "step 50", "undo"]),
    ]

    /// When a run counts as diverged, in words (the engine's `DivergenceGuard` rule, which a
    /// test checks against this text).
    public static let divergenceRule = "its loss is not a number, jumps 10,000-fold past the untrained model's, or stays for "
        + "16 updates above both 10 times the loss at its last sane checkpoint and twice the untrained model's"

    /// One keyword per live setting, with the value it takes.
    static let liveSettings = LiveSetting.keywords
}
