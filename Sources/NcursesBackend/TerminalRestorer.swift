import Foundation
@preconcurrency import CNcursesw
import CTerminalSafety

/// Gives the terminal back on every exit path: a normal end (`endwin` once), SIGTERM, SIGHUP,
/// SIGINT and SIGQUIT (a flag the loop reads, so it quits cleanly and saves history), and crashes
/// (a C handler that uses only async-signal-safe calls: CTerminalSafety says which).
enum TerminalRestorer {
    /// Saves the terminal's modes; call before ncurses changes them.
    static func saveModes() {
        _ = descent_terminal_save_modes(STDIN_FILENO)
    }

    /// Installs the handlers, with the reset sequence from this terminal's terminfo entry: leave
    /// the keypad mode and the alternate screen, plain attributes, a visible cursor.
    static func install() {
        let capabilities: [String] = ["rmkx", "rmcup", "sgr0", "cnorm"]
        var reset = ""
        for name in capabilities {
            if let value = descent_terminfo_string(name) { reset += String(cString: value) }
        }
        reset += "\r\n"
        reset.withCString { descent_terminal_set_reset_sequence($0, strlen($0)) }
        descent_terminal_install_handlers()
    }

    /// True once a signal asked the workbench to quit.
    static var quitRequested: Bool { descent_terminal_quit_requested() != 0 }

    /// Asks the loop to quit (the terminal hung up).
    static func requestQuit() { descent_terminal_request_quit() }

    /// Ends ncurses once (a second `endwin` would move the cursor and eat the shell's line).
    static func restore() {
        if isendwin() == false { endwin() }
    }
}
