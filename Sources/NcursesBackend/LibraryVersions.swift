@preconcurrency import CNcursesw
@preconcurrency import CReadline

/// The versions of the terminal libraries Descent links: proof they are wired, and what
/// `descent --version` reports.
public enum LibraryVersions {
    /// ncurses' own version string, e.g. `ncurses 6.4.20221231`.
    public static var ncurses: String { String(cString: curses_version()) }

    /// GNU readline's version, e.g. `8.2`.
    public static var readline: String {
        let v = Int(rl_readline_version)
        return "\(v >> 8).\(v & 0xff)"
    }

    public static func describe() -> String { "\(ncurses) · readline \(readline)" }
}
