/// What one argument position (or option value) accepts.
public indirect enum ArgumentKind: Equatable, Sendable {
    /// A number in the range.
    case number(NumberRange)
    /// A whole number in the range.
    case integer(NumberRange)
    /// One of these words (or operators); a chosen keyword may bring arguments of its own,
    /// e.g. `set lr X` versus `set pace X|max`, or `dense UNITS [ACT]` inside `model`.
    case keyword([Keyword])
    /// Layer widths: a whole number ≥ 1 or a comma list of them (`8` or `16,8`), kept as a list.
    case units
    /// A file name, bare or double-quoted.
    case path
    /// A model parameter such as `dense1.w[4,1]` or `dense2.b[1]`.
    case parameter
    /// A metric such as `acc`, `val.acc` or `train.loss`.
    case metric
    /// The name of a command in the table, or `keys`.
    case commandName
    /// A bare word naming something only the caller knows, such as `.name("theme")`; any word
    /// parses, and completion asks the caller's `dynamic` hook for candidates.
    case name(String)
    /// Any of these kinds, tried in order (`batch 32` or `batch full`).
    case oneOf([ArgumentKind])
}

/// A word an argument may take, with its meaning and the arguments that follow it.
public struct Keyword: Equatable, Sendable {
    /// The word (or operator) itself.
    public var word: String
    /// What it means, for help; may be empty.
    public var summary: String
    /// Arguments that follow this word.
    public var arguments: [ArgumentSpec]
    /// Words a newcomer writes for it (`show loss` for `history`): never accepted, only suggested.
    public var otherNames: [String]

    /// A keyword with an optional meaning and following arguments.
    public init(_ word: String, _ summary: String = "", arguments: [ArgumentSpec] = [], otherNames: [String] = []) {
        self.word = word
        self.summary = summary
        self.arguments = arguments
        self.otherNames = otherNames
    }
}

/// One positional argument of a command.
public struct ArgumentSpec: Equatable, Sendable {
    /// The placeholder in usage lines: `NAME`, `N`, `RATE`.
    public var name: String
    /// What it is called in error messages: `dataset`, `optimizer`, `rate`.
    public var noun: String
    /// What it accepts.
    public var kind: ArgumentKind
    /// Whether it may be left out.
    public var isOptional: Bool
    /// The value used when it is left out, if fixed.
    public var defaultValue: Value?
    /// What it means, for help.
    public var summary: String
    /// Takes one or more values (`compare sgd momentum adam`); only the last argument may.
    public var repeats: Bool

    /// An argument spec; `noun` defaults to the lowercased placeholder.
    public init(_ name: String, _ kind: ArgumentKind, noun: String? = nil, optional: Bool = false,
                default defaultValue: Value? = nil, repeats: Bool = false, summary: String = "") {
        self.name = name
        self.repeats = repeats
        self.noun = noun ?? name.lowercased()
        self.kind = kind
        self.isOptional = optional
        self.defaultValue = defaultValue
        self.summary = summary
    }
}

/// One `key=value` option of a command.
public struct OptionSpec: Equatable, Sendable {
    /// The key before `=`.
    public var key: String
    /// What the value accepts.
    public var kind: ArgumentKind
    /// The value used when the option is left out, if it is one fixed value.
    public var defaultValue: Value?
    /// The default in words when it depends on something (`0.01, or 0.001 for adam`).
    public var defaultNote: String?
    /// What it means, for help.
    public var summary: String
    /// The first-argument keywords it applies to (`k` only for `data blobs`); empty means all.
    public var appliesTo: [String]
    /// What other tools call it (scikit-learn's and pandas' `target`, Keras' `learning_rate`):
    /// never accepted, only suggested from, so a newcomer typing them is pointed here.
    public var otherNames: [String]

    /// An option spec.
    public init(_ key: String, _ kind: ArgumentKind, default defaultValue: Value? = nil,
                defaultNote: String? = nil, appliesTo: [String] = [], otherNames: [String] = [], summary: String) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.defaultNote = defaultNote
        self.summary = summary
        self.appliesTo = appliesTo
        self.otherNames = otherNames
    }
}

/// How help groups the commands.
public enum CommandGroup: String, CaseIterable, Sendable {
    case setup = "Set up"
    case training = "Train"
    case inspection = "Inspect"
    case models = "Keep and use"
    case session = "Session"
}

/// Everything the parser, help and completion know about one command.
public struct CommandSpec: Equatable, Sendable {
    /// Which command.
    public var id: CommandID
    /// The command name.
    public var name: String { id.rawValue }
    /// What kind of command it is (set-up, unrecorded, closes a cell, runs notebooks).
    public var traits: CommandTraits
    /// Where help lists it.
    public var group: CommandGroup
    /// One line of purpose.
    public var summary: String
    /// Positional arguments (of the first segment).
    public var arguments: [ArgumentSpec]
    /// Arguments of each further `|` segment; nil when the command takes no `|`.
    public var segmentArguments: [ArgumentSpec]?
    /// `key=value` options.
    public var options: [OptionSpec]
    /// Example lines for help.
    public var examples: [String]
    /// A paragraph help prints after the usage: a rule the arguments alone do not say.
    public var notes: String?
    private var explicitUsage: String?

    /// A table entry. `usage` is derived from the arguments and options unless given.
    public init(_ id: CommandID, group: CommandGroup, traits: CommandTraits = [], summary: String,
                arguments: [ArgumentSpec] = [], segmentArguments: [ArgumentSpec]? = nil,
                options: [OptionSpec] = [], usage: String? = nil, notes: String? = nil, examples: [String]) {
        self.id = id
        self.traits = traits
        self.group = group
        self.summary = summary
        self.arguments = arguments
        self.segmentArguments = segmentArguments
        self.options = options
        self.explicitUsage = usage
        self.examples = examples
        self.notes = notes
    }

    /// Whether `|` may separate segments (only `model`).
    public var allowsSegments: Bool { segmentArguments != nil }

    /// The spec of option `key`.
    public func option(_ key: String) -> OptionSpec? { options.first { $0.key == key } }

    /// The usage line, e.g. `optimizer NAME [lr=X] [momentum=X]`.
    public var usage: String {
        if let explicitUsage { return explicitUsage }
        let args = arguments.map { ($0.isOptional ? "[\($0.name)]" : $0.name) + ($0.repeats ? " …" : "") }
        let opts = options.map { "[\($0.key)=\($0.kind.placeholder)]" }
        return ([name] + args + opts).joined(separator: " ")
    }
}
