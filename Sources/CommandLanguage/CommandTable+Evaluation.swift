/// Evaluation beyond one train/validation split: K-fold cross-validation and the samples behind
/// a confusion-matrix cell.
extension CommandTable {
    static let evaluation: [CommandSpec] = [
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

    /// A class as `show misclassified` takes it: its index or its name.
    static let className = ArgumentKind.oneOf([.integer(.atLeast(0)), .name("class")])

    /// `show misclassified TRUE PRED`: the validation samples of one confusion-matrix cell;
    /// `show misclassified worst`: the cell with the most mistakes.
    static let misclassifiedView = Keyword(
        "misclassified", "validation samples of class TRUE predicted as PRED, or the worst cell",
        arguments: [
            ArgumentSpec("TRUE", .oneOf([.keyword([Keyword("worst", "the most frequent confusion")]), className]),
                         noun: "true class", summary: "the true class's index or name"),
            ArgumentSpec("PRED", className, noun: "predicted class", optional: true,
                         summary: "the predicted class (not after worst)"),
        ])
}
