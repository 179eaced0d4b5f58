/// What went wrong, as a learner reads it: a command that could not run, a file that could not be
/// read, a model that could not be built, with what was expected. Whatever threw it changed
/// nothing.
public struct DescentError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
