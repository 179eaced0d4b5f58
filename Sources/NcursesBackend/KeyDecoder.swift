@preconcurrency import CNcursesw
import TerminalUI

/// Turns ncurses keys into application keys and into the bytes readline's emacs keymap expects.
enum KeyDecoder {
    /// The application's view of a raw key (nil for keys only the line editor cares about).
    static func key(_ raw: RawKey, next: () -> RawKey?) -> Key? {
        switch raw {
        case .code(let code):
            switch code {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_BTAB: return .backTab
            case KEY_DC: return .delete
            case KEY_BACKSPACE: return .backspace
            case KEY_ENTER: return .enter
            case KEY_F0 + 1 ... KEY_F0 + 12: return .function(Int(code - KEY_F0))
            default: return nil
            }
        case .character(let c):
            switch c {
            case 3: return .control("c")
            case 4: return .control("d")
            case 9: return .tab
            case 10, 13: return .enter
            case 27:
                // Esc then a key within the escape delay: Alt+key.
                if case .character(let second)? = next(), let scalar = Unicode.Scalar(second) {
                    return .alt(Character(scalar))
                }
                return .escape
            case 127, 8: return .backspace
            case 1...26: return .control(Character(Unicode.Scalar(c + 96)!))
            default:
                return Unicode.Scalar(c).map { .character(Character($0)) }
            }
        }
    }

    /// The bytes to feed readline for a key the application declined.
    static func bytes(for raw: RawKey, key: Key?) -> [UInt8] {
        switch key {
        case .up?: return Array("\u{1b}[A".utf8)
        case .down?: return Array("\u{1b}[B".utf8)
        case .right?: return Array("\u{1b}[C".utf8)
        case .left?: return Array("\u{1b}[D".utf8)
        case .home?: return Array("\u{1b}[H".utf8)
        case .end?: return Array("\u{1b}[F".utf8)
        case .delete?: return Array("\u{1b}[3~".utf8)
        case .backspace?: return [0x7f]
        case .enter?: return [13]
        case .tab?: return [9]
        case .alt(let c)?: return [27] + Array(String(c).utf8)
        case .escape?: return [27]
        default: break
        }
        switch raw {
        case .character(let c):
            guard let scalar = Unicode.Scalar(c) else { return [] }
            return Array(String(Character(scalar)).utf8)
        case .code: return []
        }
    }
}
