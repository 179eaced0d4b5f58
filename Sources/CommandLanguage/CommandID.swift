/// Every command, by name. Front ends and the session switch over this exhaustively, so a command
/// added here and not handled everywhere fails to compile; the table gives each its spec.
public enum CommandID: String, CaseIterable, Sendable {
    // Set up
    case seed, data, model, loss, optimizer, regularize, dropout, batch, schedule, reset
    // Train
    case train, cv, compare, lr, pause, resume, stop, step, watch, set, undo
    // Inspect
    case show, gradcheck, ablate, patch, rewind, runs, note, expect
    // Keep and use
    case save, load, reopen, predict, generate, serve, export, log
    // Session
    case record, replay, lessons, lesson, next, submit, help, theme, clear, quit
}

/// What kind of command it is, beyond its group in help.
public struct CommandTraits: OptionSet, Sendable, Equatable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Changes the set-up of the next run, so it is refused while a run trains or is paused.
    public static let setUp = CommandTraits(rawValue: 1 << 0)
    /// About the session itself: `record` leaves it out of the notebook it writes.
    public static let unrecorded = CommandTraits(rawValue: 1 << 1)
    /// Produces results: in a recorded notebook, the cell ends after it.
    public static let closesCell = CommandTraits(rawValue: 1 << 2)
}
