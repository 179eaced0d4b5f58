/// The one table of commands: the parser validates against it, and help and completion are
/// generated from it. Adding a command is adding one `CommandSpec` to a group below.
public enum CommandTable {
    /// Every command, in help order.
    public static let all: [CommandSpec] = setup + training + inspection + models + session

    /// Every command name, in help order.
    public static let names: [String] = all.map(\.name)

    private static let index: [String: CommandSpec] =
        Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The spec of command `name`, or nil when there is none.
    public static func spec(named name: String) -> CommandSpec? { index[name] }

    /// The spec of `id` (every command has one: a test checks the table covers `CommandID`).
    public static func spec(_ id: CommandID) -> CommandSpec { index[id.rawValue]! }
}

// MARK: - Shared vocabulary

extension CommandTable {
    /// Activations a `dense` layer may end in.
    static let layerActivations: [Keyword] = [
        Keyword("relu", "max(0, x)"),
        Keyword("leakyrelu", "x, or 0.01·x below zero"),
        Keyword("tanh", "tanh(x), in (−1, 1)"),
        Keyword("sigmoid", "1 / (1 + e^−x), in (0, 1)"),
        Keyword("softmax", "probabilities over classes"),
        Keyword("gelu", "x · Φ(x), smooth ReLU"),
        Keyword("linear", "x, no activation"),
    ]

    /// Activations the `mlp` preset accepts for its hidden layers.
    static let hiddenActivations: [Keyword] =
        ["relu", "tanh", "sigmoid", "leakyrelu", "gelu"].compactMap { word in
            layerActivations.first { $0.word == word }
        }

    /// A rate in [0, 1), as dropout takes.
    static let rate = ArgumentKind.number(.halfOpen(0, 1))

    /// The layer forms usable in each `|` segment of `model`.
    static let layers = LayerKind.keywords

    /// Comparisons `expect` understands, each followed by the number to compare with.
    static let comparisons = Comparison.keywords
}
