import Foundation
@preconcurrency import CNcursesw
import TerminalUI

/// The ncurses screen: start-up, drawing a `Buffer`'s changes, reading keys, and restoring the
/// terminal exactly once on every exit path.
public final class Terminal {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var drawn: Buffer?
    private var pairs = ColorPairs()
    /// How long `readKey` waits for a key, in milliseconds: a frame (33) while the screen
    /// moves, longer while it is still (a key still comes at once).
    public var frameWait: Int32 = 33 {
        didSet { if frameWait != oldValue { wtimeout(window, frameWait) } }
    }
    /// Whether the locale is UTF-8 (else widgets use ASCII glyphs).
    public let isUTF8: Bool
    /// Colours the terminal can show (8, 256 …); 0 when it has none.
    public let colorCount: Int

    /// Starts ncurses on standard input/output. Throws when the terminal cannot be set up
    /// (unknown TERM): the caller then runs headless.
    public init() throws {
        if setlocale(LC_ALL, "") == nil {
            setlocale(LC_ALL, "C.UTF-8")
            setenv("LC_ALL", "C.UTF-8", 1)
        }
        isUTF8 = String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
        TerminalRestorer.saveModes()
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r"),
              let screen = newterm(nil, output, input) else {
            throw TerminalError("cannot start the screen for TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "")")
        }
        self.screen = screen
        set_term(screen)
        window = stdscr
        raw()
        noecho()
        nonl()
        keypad(window, true)
        set_escdelay(25)
        wtimeout(window, 33)
        if has_colors() {
            start_color()
            use_default_colors()
            colorCount = Int(COLORS)
        } else {
            colorCount = 0
        }
        pairs.limit = Int(COLOR_PAIRS)
        TerminalRestorer.install()
    }

    /// Rows and columns now.
    public var size: (width: Int, height: Int) { (Int(getmaxx(window)), Int(getmaxy(window))) }

    /// Writes what changed since the last frame, then puts the cursor at `cursor`.
    public func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
        let changes = drawn.map { buffer.changes(from: $0) } ?? buffer.changes(from: Buffer(width: 0, height: 0))
        if drawn == nil || drawn!.width != buffer.width || drawn!.height != buffer.height { werase(window) }
        for change in changes {
            let style = change.cell.style
            var attributes = descent_attr_normal()
            if style.bold { attributes |= descent_attr_bold() }
            if style.dim { attributes |= descent_attr_dim() }
            if style.reverse { attributes |= descent_attr_reverse() }
            if style.underline { attributes |= descent_attr_underline() }
            let pair = colorCount > 0 ? pairs.pair(for: style.foreground, style.background, colors: colorCount) : 0
            wattr_set(window, attr_t(attributes), Int16(pair), nil)
            let symbol = isUTF8 ? change.cell.symbol : AsciiFallback.symbol(change.cell.symbol)
            _ = mvwaddstr(window, Int32(change.y), Int32(change.x), symbol)
        }
        wattr_set(window, attr_t(descent_attr_normal()), 0, nil)
        if let c = cursor {
            curs_set(1)
            wmove(window, Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        wrefresh(window)
        drawn = buffer
    }

    /// Forgets what is on screen so the next `draw` repaints everything (after a resize).
    public func invalidate() {
        drawn = nil
        clearok(window, true)
    }

    /// The next key, or nil when none arrived within `frameWait`.
    public func readKey() -> RawKey? {
        var ch: wint_t = 0
        let status = wget_wch(window, &ch)
        switch status {
        case OK: return .character(UInt32(ch))
        case KEY_CODE_YES: return .code(Int32(ch))
        default:
            if Self.terminalHungUp() { TerminalRestorer.requestQuit() }
            return nil
        }
    }

    /// True when the terminal went away (its window closed, the SSH connection dropped): the
    /// input then reports a hang-up and `wget_wch` returns at once, every time. Once, after
    /// `tmux kill-server`, a workbench whose terminal was gone went on at 85 % of a core
    /// (not reproduced since; SIGHUP normally ends it first): this ends it either way.
    static func terminalHungUp() -> Bool {
        var input = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&input, 1, 0) > 0 && input.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// Reads a key without waiting (to gather an Alt sequence's second byte).
    public func readPendingKey() -> RawKey? {
        wtimeout(window, 0)
        defer { wtimeout(window, frameWait) }
        return readKey()
    }

    /// True when a shell's job control could bring the process back after Ctrl-Z: its parent
    /// is in the same session under another process group (a shell that ran it as a job).
    /// Not so for a forced command over SSH, a session leader: the kernel would not even stop it.
    public var canSuspend: Bool {
        let parent = getppid()
        return getsid(parent) == getsid(0) && getpgid(parent) != getpgrp()
    }

    /// Ctrl-Z (raw mode turns it into a key, not a signal): gives the terminal back and stops
    /// the process as a shell job; after `fg` the screen comes back, repainted whole.
    public func suspend() {
        TerminalRestorer.restore()
        let previous = signal(SIGTSTP, SIG_DFL)
        raise(SIGTSTP)                   // stopped here until SIGCONT
        signal(SIGTSTP, previous)
        invalidate()
        wrefresh(window)
    }

    /// Ends ncurses and gives the terminal back as it was.
    public func restore() {
        TerminalRestorer.restore()
        delscreen(screen)
    }
}

/// A key as ncurses reported it: a character (code point) or a key code (KEY_UP …).
/// ncurses' KEY_RESIZE, delivered by `wget_wch` after SIGWINCH.
let KEY_RESIZE_CODE: Int32 = KEY_RESIZE

public enum RawKey: Equatable, Sendable {
    case character(UInt32)
    case code(Int32)
}

public struct TerminalError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
