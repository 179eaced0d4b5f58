import Foundation

/// Whether the screen can run here: both ends a terminal, and a TERM that is set and not `dumb`.
/// Otherwise Descent runs headless (ncurses would write escape codes into a pipe and spin on EOF).
public enum TerminalCheck {
    public static func screenUnavailableReason(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if isatty(0) != 1 || isatty(1) != 1 { return "standard input or output is not a terminal" }
        guard let term = environment["TERM"], !term.isEmpty else { return "TERM is not set" }
        if term == "dumb" { return "TERM is dumb" }
        return nil
    }
}
