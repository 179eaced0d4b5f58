import TerminalUI

/// The screen side of a terminal, as the terminal loop uses it: keys in, buffers out. `Terminal`
/// is ncurses'; `ScriptedTerminal` plays keys to the loop in a test and keeps what it drew.
@MainActor
public protocol TerminalDevice: AnyObject {
    /// Rows and columns now.
    var size: (width: Int, height: Int) { get }
    /// Colours the terminal can show (8, 256 …); 0 when it has none.
    var colorCount: Int { get }
    /// Whether the locale is UTF-8 (else widgets use ASCII glyphs).
    var isUTF8: Bool { get }
    /// The next key, or nil when none arrived within `frameWait` milliseconds.
    func readKey() -> RawKey?
    /// How long `readKey` waits: a frame's time while the screen moves, longer while it is still.
    var frameWait: Int32 { get set }
    /// A key already waiting, without waiting (an Alt sequence's second byte).
    func readPendingKey() -> RawKey?
    /// Writes `buffer`'s changes and puts the hardware cursor at `cursor` (nil hides it).
    func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?)
    /// Forgets what is on screen so the next `draw` repaints everything (after a resize).
    func invalidate()
    /// Ctrl-Z: gives the terminal back until the shell brings the program to the foreground.
    func suspend()
    /// Whether a shell could bring the program back after `suspend` (job control).
    var canSuspend: Bool { get }
    /// Gives the terminal back as it was, once.
    func restore()
}

/// The line being typed, as the terminal loop uses it: bytes in, finished lines out. `LineEditor`
/// is GNU readline's; `ScriptedLineInput` is a plain one for tests.
@MainActor
public protocol LineInput: AnyObject {
    /// Takes bytes typed; returns the lines they finished (Ctrl-D on an empty line as "\u{4}").
    func feed(_ bytes: [UInt8]) -> [String]
    /// The prompt, line and cursor now.
    var state: InputLine { get }
    /// Empties the line (Ctrl-C).
    func clearLine()
    /// Ends editing (saves history).
    func close()
}

extension Terminal: TerminalDevice {}
extension LineEditor: LineInput {}

/// A terminal for tests: plays `keys` one per read (nil once they are spent, as a terminal with
/// nothing typed), with `resize` events where the script has them, and keeps every frame drawn
/// as text. Shipped as a product, like `ManualRunner`: the loop's own test double.
@MainActor
public final class ScriptedTerminal: TerminalDevice {
    /// A key, or the window changing size (ncurses reports that as `KEY_RESIZE`).
    public enum Event: Sendable {
        case key(RawKey)
        case resize(width: Int, height: Int)
    }

    public private(set) var size: (width: Int, height: Int)
    public let colorCount: Int
    public let isUTF8: Bool
    private var events: [Event]
    /// Every frame drawn, as text, with where the cursor was.
    public private(set) var frames: [(text: String, cursor: (x: Int, y: Int)?)] = []
    public private(set) var invalidations = 0
    public private(set) var suspensions = 0
    public private(set) var restored = 0

    public init(width: Int = 120, height: Int = 40, colors: Int = 256, utf8: Bool = true, events: [Event]) {
        size = (width, height)
        colorCount = colors
        isUTF8 = utf8
        self.events = events
    }

    /// Bytes a learner types, as the keys ncurses delivers for them (UTF-8 decoded).
    public static func typing(_ text: String) -> [Event] {
        text.unicodeScalars.map { .key(.character($0.value)) }
    }

    public func readKey() -> RawKey? {
        guard !events.isEmpty else { return nil }
        switch events.removeFirst() {
        case .key(let key): return key
        case let .resize(width, height):
            size = (width, height)
            return .code(KEY_RESIZE_CODE)
        }
    }

    public func readPendingKey() -> RawKey? {
        guard case .key? = events.first else { return nil }
        return readKey()
    }

    public func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) { frames.append((buffer.textDump(), cursor)) }
    public func invalidate() { invalidations += 1 }
    public func suspend() { suspensions += 1 }
    public var canSuspend = true
    public func restore() { restored += 1 }
    /// What the loop asked `readKey` to wait, frame by frame (a scripted read never waits).
    public var frameWait: Int32 = 33 { didSet { waits.append(frameWait) } }
    public private(set) var waits: [Int32] = []
}

/// A line input for tests: printable bytes append, backspace (0x7f) removes one character,
/// return (13) finishes the line, Ctrl-D (4) on an empty line finishes input.
@MainActor
public final class ScriptedLineInput: LineInput {
    private var text = ""
    private var utf8: [UInt8] = []
    private let prompt: String
    public private(set) var closed = false

    public init(prompt: String = "descent> ") { self.prompt = prompt }

    public func feed(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            switch byte {
            case 13:
                lines.append(text)
                text = ""
            case 4 where text.isEmpty: lines.append("\u{4}")
            case 0x7f: if !text.isEmpty { text.removeLast() }
            case 0x20...:
                utf8.append(byte)
                if let decoded = String(validating: utf8, as: UTF8.self) {
                    text += decoded
                    utf8 = []
                }
            default: break
            }
        }
        return lines
    }

    public var state: InputLine { InputLine(prompt: prompt, text: text, cursor: text.count) }
    public func clearLine() { text = "" }
    public func close() { closed = true }
}
