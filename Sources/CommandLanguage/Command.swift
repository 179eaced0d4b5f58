/// A positional argument: a value and where it was written.
///
/// Equality compares values only; where a command was written is not part of what it says.
public struct Argument: Sendable, CustomStringConvertible {
    /// The value, normalised by the command table (e.g. `mlp 8` holds the list `[8]`).
    public var value: Value
    /// Where the argument starts.
    public var location: SourceLocation

    /// An argument holding `value`, written at `location`.
    public init(_ value: Value, at location: SourceLocation = SourceLocation(line: 1, column: 1)) {
        self.value = value
        self.location = location
    }

    /// The value's canonical spelling.
    public var description: String { value.description }
}

extension Argument: Equatable {
    public static func == (a: Argument, b: Argument) -> Bool { a.value == b.value }
}

/// A `key=value` option. Equality ignores the location.
public struct Option: Sendable, CustomStringConvertible {
    /// The key, e.g. `lr`.
    public var key: String
    /// The value after `=`.
    public var value: Value
    /// Where the key starts.
    public var location: SourceLocation

    /// The option `key=value`, written at `location`.
    public init(_ key: String, _ value: Value,
                at location: SourceLocation = SourceLocation(line: 1, column: 1)) {
        self.key = key
        self.value = value
        self.location = location
    }

    /// `key=value` in canonical spelling.
    public var description: String { "\(key)=\(value)" }
}

extension Option: Equatable {
    public static func == (a: Option, b: Option) -> Bool { a.key == b.key && a.value == b.value }
}

/// One validated command: its name, positional arguments and options.
///
/// Positional arguments come in segments separated by `|`; only `model` has more than one
/// (`model dense 8 tanh | dense 1 sigmoid`). Options keep their source order. Equality ignores
/// locations, so a command equals the command its canonical text parses to.
public struct Command: Sendable, CustomStringConvertible {
    /// Which command.
    public var id: CommandID
    /// The command name, e.g. `optimizer`.
    public var name: String { id.rawValue }
    /// Positional arguments, one array per `|`-separated segment (at least one, maybe empty).
    public var segments: [[Argument]]
    /// `key=value` options in the order written.
    public var options: [Option]
    /// Where the command name starts.
    public var location: SourceLocation

    /// A command; `segments` defaults to one empty segment.
    public init(_ id: CommandID, segments: [[Argument]] = [[]], options: [Option] = [],
                at location: SourceLocation = SourceLocation(line: 1, column: 1)) {
        self.id = id
        self.segments = segments.isEmpty ? [[]] : segments
        self.options = options
        self.location = location
    }

    /// The canonical text, e.g. `optimizer adam lr=0.01`.
    public var description: String { canonicalText(self) }

    // MARK: - Positional arguments

    /// The arguments of the first (usually only) segment.
    public var arguments: [Argument] { segments.first ?? [] }

    /// The value of positional argument `index` in `segment`, or nil when absent.
    public func positional(_ index: Int, segment: Int = 0) -> Value? {
        guard segments.indices.contains(segment), segments[segment].indices.contains(index) else {
            return nil
        }
        return segments[segment][index].value
    }

    /// The first positional word or operator: the dataset, optimizer, show target, set key….
    public var keyword: String? {
        guard let value = positional(0) else { return nil }
        if case .word(let w) = value { return w }
        return nil
    }

    // MARK: - Options

    /// The value of option `key`, or nil when it was not written.
    public func option(_ key: String) -> Value? {
        options.last { $0.key == key }?.value
    }

    /// Option `key` as a number, or nil when it was not written.
    public func number(_ key: String) -> Double? { option(key)?.number }

    /// Option `key` as an integer, or nil when it was not written.
    public func integer(_ key: String) -> Int? { option(key)?.integer }

    /// Option `key` as text (word, string or operator), or nil when it was not written.
    public func text(_ key: String) -> String? { option(key)?.text }

    /// Option `key` as written, else the table's default for it.
    public func optionOrDefault(_ key: String) -> Value? {
        option(key) ?? spec.option(key)?.defaultValue
    }

    /// The table's entry for this command.
    public var spec: CommandSpec { CommandTable.spec(id) }

    /// What kind of command it is.
    public var traits: CommandTraits { spec.traits }

    /// Where option `key` was written.
    public func location(ofOption key: String) -> SourceLocation? {
        options.last { $0.key == key }?.location
    }
}

extension Command: Equatable {
    public static func == (a: Command, b: Command) -> Bool {
        a.id == b.id && a.segments == b.segments && a.options == b.options
    }
}
