import Testing
@preconcurrency import CNcursesw
import TerminalUI
@testable import NcursesBackend

/// ncurses' keys to the application's keys, and the keys the application declines to the bytes
/// readline's emacs keymap binds.
@Suite struct KeyDecoderTests {
    func decode(_ raw: RawKey, then next: RawKey? = nil) -> Key? {
        var pending = next
        return KeyDecoder.key(raw) { defer { pending = nil }; return pending }
    }

    @Test func keyCodesBecomeNamedKeys() {
        let cases: [(Int32, Key)] = [(KEY_UP, .up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right),
                                     (KEY_HOME, .home), (KEY_END, .end), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
                                     (KEY_BTAB, .backTab), (KEY_DC, .delete), (KEY_BACKSPACE, .backspace),
                                     (KEY_ENTER, .enter), (KEY_F0 + 1, .function(1)), (KEY_F0 + 12, .function(12))]
        for (code, key) in cases { #expect(decode(.code(code)) == key, "\(code)") }
        #expect(decode(.code(KEY_F0 + 13)) == nil && decode(.code(KEY_MOUSE)) == nil, "keys the workbench does not use")
    }

    @Test func controlBytesAndCharacters() {
        #expect(decode(.character(3)) == .control("c") && decode(.character(4)) == .control("d"))
        #expect(decode(.character(26)) == .control("z") && decode(.character(1)) == .control("a"))
        #expect(decode(.character(9)) == .tab && decode(.character(13)) == .enter && decode(.character(10)) == .enter)
        #expect(decode(.character(127)) == .backspace && decode(.character(8)) == .backspace)
        #expect(decode(.character(0x61)) == .character("a") && decode(.character(0x3B7)) == .character("η"))
    }

    /// Esc followed at once by a key is Alt plus that key (terminals send Alt-x as Esc x); Esc
    /// alone is Escape.
    @Test func escapeThenAKeyIsAlt() {
        #expect(decode(.character(27), then: .character(0x6E)) == .alt("n"))
        #expect(decode(.character(27)) == .escape)
    }

    /// Declined keys reach readline as the sequences its emacs keymap binds; characters as UTF-8.
    @Test func declinedKeysBecomeReadlineBytes() {
        #expect(KeyDecoder.bytes(for: .code(KEY_UP), key: .up) == Array("\u{1b}[A".utf8))
        #expect(KeyDecoder.bytes(for: .code(KEY_DC), key: .delete) == Array("\u{1b}[3~".utf8))
        #expect(KeyDecoder.bytes(for: .character(127), key: .backspace) == [0x7f])
        #expect(KeyDecoder.bytes(for: .character(27), key: .alt("b")) == [27, 0x62])
        #expect(KeyDecoder.bytes(for: .character(0x3B7), key: .character("η")) == Array("η".utf8))
        #expect(KeyDecoder.bytes(for: .code(KEY_F0 + 5), key: .function(5)) == [], "function keys never reach the line")
    }
}
