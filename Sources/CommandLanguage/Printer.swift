/// The canonical text of a command: its name, its arguments with ` | ` between segments, then
/// its options in the order written, each value in canonical spelling.
///
/// Reading the text back gives an equal command: `parseLine(canonicalText(c)) == c`.
public func canonicalText(_ command: Command) -> String {
    var parts = [command.name]
    for (index, segment) in command.segments.enumerated() {
        if index > 0 { parts.append("|") }
        parts += segment.map(\.value.description)
    }
    parts += command.options.map(\.description)
    return parts.joined(separator: " ")
}
