import Foundation
@preconcurrency import CNcursesw
import Synchronization

/// Gives the terminal back on every exit path: a normal end, SIGTERM/SIGHUP (through a flag the
/// loop checks), and crashes (a handler that ends ncurses, then re-raises the signal).
enum TerminalRestorer {
    /// Set by SIGTERM and SIGHUP; the main loop sees it and quits cleanly.
    static let terminationRequested = Atomic<Bool>(false)

    static func install() {
        signal(SIGTERM) { _ in TerminalRestorer.terminationRequested.store(true, ordering: .relaxed) }
        signal(SIGHUP) { _ in TerminalRestorer.terminationRequested.store(true, ordering: .relaxed) }
        signal(SIGINT) { _ in TerminalRestorer.terminationRequested.store(true, ordering: .relaxed) }
        for crash in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(crash) { number in
                if isendwin() == false { endwin() }
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }

    /// Ends ncurses once (a second `endwin` would move the cursor and eat the shell's line).
    static func restore() {
        if isendwin() == false { endwin() }
    }
}
