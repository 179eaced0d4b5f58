/// Evaluation beyond one train/validation split: K-fold cross-validation and the samples behind
/// a confusion-matrix cell.
extension CommandTable {
    static let evaluation: [CommandSpec] = [compare,
        CommandSpec(.cv, group: .training, traits: .closesCell,
                    summary: "K-fold cross-validation: mean ± std of each metric",
                    options: [
                        OptionSpec("k", .integer(.closed(2, 20)), default: .number(5),
                                   summary: "number of folds (each validates once)"),
                        OptionSpec("epochs", .integer(.closed(1, 1_000_000)), default: .number(100),
                                   summary: "passes over each fold's training part"),
                    ],
                    examples: ["cv k=5", "cv k=10 epochs=50   # iris, model softmax, optimizer adam lr=0.05"]),
    ]

    /// `compare OPTIMIZER …` races optimizers; `compare RUN …` overlays kept runs.
    static let compare = CommandSpec(
        .compare, group: .training, traits: .closesCell,
        summary: "race optimizers from one start, or overlay runs",
        arguments: [ArgumentSpec("WHAT", .oneOf([.keyword(optimizers), runReference]), noun: "optimizer or run",
                                 repeats: true, summary: "optimizers to race, or runs to overlay: names, numbers, `last N`, @N")],
        options: [
            OptionSpec("epochs", .integer(.closed(1, 1_000_000)), default: .number(100), summary: "passes of each racer"),
            OptionSpec("lr", .number(.above(0)), defaultNote: "the set-up's lr", summary: "every racer's learning rate"),
        ] + optimizers.map { optimizer in
            OptionSpec("lr.\(optimizer.word)", .number(.above(0)), defaultNote: "lr=",
                       summary: "the \(optimizer.word) racer's learning rate")
        },
        usage: "compare OPTIMIZER … [epochs=N] [lr=X] [lr.OPT=X …] | compare RUN … (a name, a number or `last N`)",
        notes: "Racers start from the same initial weights and see the same batches in the same order, "
            + "so only the update rule differs; they train at once and the loss chart (and, for a model "
            + "with two parameters, the contour) overlays them. Their other settings come from the set-up.",
        examples: ["compare sgd momentum nesterov rmsprop adam epochs=50",
                   "compare sgd adam lr.sgd=0.1 lr.adam=0.01", "compare slow fast", "compare last 3", "compare 2 5"])

    /// A run's name as `train name=` gives it: a word (a letter first) that is not an optimizer
    /// (`compare` would race it) or `last`.
    static let runName = ArgumentKind.name("run")

    /// A run as commands refer to it: its name, its number, `last N` (the latest N runs), or a
    /// kept run: `@N` (its number in the run store) or `@WORD` (the run tagged WORD most recently).
    static let runReference = ArgumentKind.oneOf([.integer(.atLeast(1)), runName])

    /// A class as `show misclassified` takes it: its index or its name.
    static let className = ArgumentKind.oneOf([.integer(.atLeast(0)), .name("class")])
}
