import Foundation
@preconcurrency import CReadline
import TerminalUI

/// GNU readline driven through its callback interface, inside ncurses.
///
/// ncurses owns the terminal: readline gets no-op terminal preparation, writes to /dev/null and
/// reads only the bytes this type feeds it. Its state (prompt, line, cursor) is read back for the
/// screen to draw. Line editing, history (`~/.descent_history`, appended after every line so a
/// crash loses nothing), Ctrl-R search and Tab completion are readline's own.
public final class LineEditor {
    /// The editor readline's C callbacks reach (they cannot capture context). Readline runs
    /// only on the UI thread, inside `feed`, so this is never touched concurrently.
    nonisolated(unsafe) static var current: LineEditor?

    private var pending: [UInt8] = []
    private var finishedLines: [String] = []
    private let historyPath: String?
    private let complete: (String, Int) -> [String]
    private let showMatches: ([String]) -> Void
    private var completionCandidates: [String] = []
    private var completionIndex = 0
    private let prompt: String

    /// Installs readline. `complete(line, cursor)` gives whole-word replacements for the word
    /// under the cursor; `showMatches` receives ambiguous candidates to list.
    public init(prompt: String, historyPath: String?,
                complete: @escaping (String, Int) -> [String],
                showMatches: @escaping ([String]) -> Void) {
        self.prompt = prompt
        self.historyPath = historyPath
        self.complete = complete
        self.showMatches = showMatches
        LineEditor.current = self

        rl_catch_signals = 0
        rl_catch_sigwinch = 0
        rl_change_environment = 0
        rl_prep_term_function = { _ in }
        rl_deprep_term_function = { }
        rl_outstream = fopen("/dev/null", "w")
        rl_getc_function = { _ in
            LineEditor.current?.nextByte() ?? -1
        }
        rl_input_available_hook = {
            (LineEditor.current?.pending.isEmpty ?? true) ? 0 : 1
        }
        rl_redisplay_function = { }
        rl_completer_word_break_characters = UnsafePointer(strdup(" \t|"))
        rl_attempted_completion_function = { text, start, end in
            LineEditor.current?.attemptCompletion(start: Int(start), end: Int(end))
        }
        rl_completion_display_matches_hook = { matches, count, _ in
            guard let matches, count > 0 else { return }
            let list = (1...Int(count)).compactMap { matches[$0].map { String(cString: $0) } }
            LineEditor.current?.showMatches(list)
        }
        using_history()
        if let path = historyPath {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            read_history(path)
        }
        rl_callback_handler_install(prompt, { line in
            guard let line else { LineEditor.current?.finishedLines.append("\u{4}"); return }
            let text = String(cString: line)
            free(line)
            LineEditor.current?.accept(text)
        })
    }

    private func nextByte() -> Int32 {
        pending.isEmpty ? -1 : Int32(pending.removeFirst())
    }

    private func accept(_ text: String) {
        if !text.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(text)
            if let path = historyPath { append_history(1, path) }
        }
        finishedLines.append(text)
    }

    /// Feeds bytes (a key's UTF-8 or escape sequence) to readline; returns lines finished.
    public func feed(_ bytes: [UInt8]) -> [String] {
        pending += bytes
        while !pending.isEmpty { rl_callback_read_char() }
        defer { finishedLines.removeAll() }
        return finishedLines
    }

    /// The prompt, line and cursor as readline has them now.
    public var state: InputLine {
        let prompt = rl_display_prompt.map { String(cString: $0) } ?? self.prompt
        guard let buffer = rl_line_buffer else { return InputLine(prompt: prompt, text: "", cursor: 0) }
        let end = Int(rl_end), point = Int(rl_point)
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: end)
        let text = String(decoding: bytes, as: UTF8.self)
        let before = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<min(point, end)]), as: UTF8.self)
        return InputLine(prompt: prompt, text: text, cursor: before.count)
    }

    /// Empties the line being edited (Ctrl-C).
    public func clearLine() {
        rl_replace_line("", 0)
        rl_point = 0
    }

    /// Keeps the history file bounded and removes readline's handler.
    public func close() {
        if let path = historyPath { history_truncate_file(path, 2000) }
        rl_callback_handler_remove()
        LineEditor.current = nil
    }

    // MARK: - Completion

    private func attemptCompletion(start: Int, end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        rl_attempted_completion_over = 1
        let line = state
        completionCandidates = complete(line.text, line.cursor)
        guard !completionCandidates.isEmpty else { return nil }
        // `key=` and `folder/` complete without the space readline would append.
        let open = completionCandidates.count == 1 && (completionCandidates[0].hasSuffix("=") || completionCandidates[0].hasSuffix("/"))
        rl_completion_append_character = open ? 0 : 32
        // The generator's second argument is 0 on the first call, non-zero after: not an index.
        return rl_completion_matches("", { _, state in
            guard let editor = LineEditor.current else { return nil }
            if state == 0 { editor.completionIndex = 0 }
            guard editor.completionIndex < editor.completionCandidates.count else { return nil }
            defer { editor.completionIndex += 1 }
            return strdup(editor.completionCandidates[editor.completionIndex])
        })
    }
}
