/// A key the terminal delivered, already decoded by the backend.
public enum Key: Equatable, Hashable, Sendable {
    case character(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    /// F1 … F12.
    case function(Int)
    /// Ctrl plus a letter, e.g. `.control("c")`.
    case control(Character)
    /// Alt (or Esc, then the key) plus a character, e.g. `.alt("z")`.
    case alt(Character)
}

/// What the text-input line looks like right now, as the line editor reports it.
public struct InputLine: Equatable, Sendable {
    public var prompt: String
    public var text: String
    /// The cursor position in characters from the start of `text`.
    public var cursor: Int

    public init(prompt: String, text: String, cursor: Int) {
        self.prompt = prompt
        self.text = text
        self.cursor = cursor
    }
}

/// An application a terminal backend can drive: the backend owns the terminal and the line
/// editor; the application owns state and draws into a `Buffer`.
///
/// Per frame the backend: delivers keys (`handle(_:)` first; keys it declines go to the line
/// editor), delivers each finished input line (`submit(_:)`), calls `tick()`, then
/// `render(into:input:)` and writes the buffer's changes to the screen, putting the hardware
/// cursor where `render` says.
@MainActor
public protocol TerminalApplication: AnyObject {
    /// Handles a key meant for the application (function keys, Alt combinations, paging).
    /// Returns false to pass the key to the line editor.
    func handle(_ key: Key, input: InputLine) -> Bool
    /// A line the learner finished typing.
    func submit(_ line: String)
    /// Ctrl-C: returns true when the application wants to quit (e.g. pressed twice on an
    /// empty line); otherwise it stops what is running or clears the input.
    func interrupt(input: InputLine) -> Bool
    /// Completions for the word under the cursor; each replaces that whole word.
    func completions(for line: String, cursor: Int) -> [String]
    /// Ambiguous completions to show the learner.
    func showCompletions(_ candidates: [String])
    /// Advances time: collects training progress, runs queued notebook commands.
    func tick()
    /// Draws the whole screen; returns where the hardware cursor belongs (nil hides it).
    func render(into buffer: inout Buffer, input: InputLine) -> (x: Int, y: Int)?
    /// True once the application wants to end.
    var wantsToQuit: Bool { get }
    /// Called once before the backend restores the terminal (save state, stop threads).
    func shutDown()
    /// Whether the screen changes without a key (a run training, a command still running): the
    /// backend then draws every frame; otherwise it waits longer between frames when idle.
    var isAnimating: Bool { get }
    /// What the terminal can show, once it is started: colours (0, 8, 256 …) and whether the
    /// locale is UTF-8 (else ASCII glyphs).
    func terminalStarted(colors: Int, unicode: Bool)
}

extension TerminalApplication {
    /// An application that does not say is drawn at the full frame rate.
    public var isAnimating: Bool { true }
}
