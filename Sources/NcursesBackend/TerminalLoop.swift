import Foundation
import TerminalUI

/// Runs a `TerminalApplication` on the real terminal at about 30 frames per second.
///
/// Each frame: read keys (the application first, then readline), hand finished lines to the
/// application, `tick`, render into a `Buffer`, write the changes. Resizes repaint everything.
/// Quits on the application's wish, Ctrl-D on an empty line, or SIGTERM/SIGHUP/SIGINT/SIGQUIT; the terminal
/// is restored and history saved on every one of those paths.
@MainActor
public enum TerminalLoop {
    public static func run(_ app: TerminalApplication, historyPath: String?, idleLimit: Duration? = nil) throws {
        let terminal = try Terminal()
        let editor = LineEditor(prompt: "descent> ", historyPath: historyPath,
                                complete: { app.completions(for: $0, cursor: $1) },
                                showMatches: { app.showCompletions($0) })
        run(app, on: terminal, editor: editor, idleLimit: idleLimit)
    }

    /// The loop itself, on any terminal and line input: the real ones, or a test's scripted
    /// ones (`ScriptedTerminal`, `ScriptedLineInput`), stopping after `frameLimit` frames.
    /// With `idleLimit`, it ends (as on quit) when no key came for that long: a learner's
    /// workbench in a class does not hold its memory forever.
    public static func run(_ app: TerminalApplication, on terminal: TerminalDevice, editor: LineInput,
                           frameLimit: Int = .max, idleLimit: Duration? = nil) {
        var lastKey = ContinuousClock.now
        var framesSinceKey = 0
        var frames = FrameLog()
        var frameCount = 0
        defer {
            frames.write()
            app.shutDown()
            editor.close()
            terminal.restore()
        }
        app.terminalStarted(colors: terminal.colorCount, unicode: terminal.isUTF8)
        var size = terminal.size
        var buffer = Buffer(width: size.width, height: size.height)
        #if DEBUG
        // A test build's forced crash (Tests/Terminal/abuse-test.sh): the terminal must come back.
        let crashAt = ProcessInfo.processInfo.environment["DESCENT_TEST_CRASH_AFTER"].flatMap(Double.init)
            .map { Date().addingTimeInterval($0) }
        #endif
        while !app.wantsToQuit && !TerminalRestorer.quitRequested && frameCount < frameLimit {
            frameCount += 1
            // About 30 frames a second while something moves or in the 60 frames (2 s) after a
            // key; four while the screen is still, which an idle workbench over SSH spends next
            // to no CPU on (a key or a resize is still read the moment it comes).
            terminal.frameWait = app.isAnimating || framesSinceKey < 60 ? 33 : 250
            framesSinceKey += 1
            var keys = 0
            while let raw = keys == 0 ? terminal.readKey() : terminal.readPendingKey() {
                keys += 1
                if case .code(let code) = raw, code == KEY_RESIZE_CODE {
                    size = terminal.size
                    terminal.invalidate()
                    continue
                }
                let key = KeyDecoder.key(raw, next: { terminal.readPendingKey() })
                if key == .control("c") {
                    if app.interrupt(input: editor.state) { return }
                    editor.clearLine()
                    continue
                }
                if key == .control("d") && editor.state.text.isEmpty { return }
                // Ctrl-L: the whole screen drawn again (after line noise over SSH), the REPL emptied.
                if key == .control("l") { terminal.invalidate() }
                if key == .control("z") {
                    guard terminal.canSuspend else {
                        app.showCompletions(["Ctrl-Z would stop the workbench, and nothing here could start it again: "
                                             + "Ctrl-D or `quit` ends it (your history and runs are kept)"])
                        continue
                    }
                    terminal.suspend()
                    size = terminal.size
                    continue
                }
                if let key, app.handle(key, input: editor.state) { continue }
                for line in editor.feed(KeyDecoder.bytes(for: raw, key: key)) {
                    if line == "\u{4}" { return }
                    app.submit(line)
                }
                if keys > 256 { break }
            }
            if keys > 0 { lastKey = ContinuousClock.now; framesSinceKey = 0 }
            if let idleLimit, ContinuousClock.now - lastKey > idleLimit { return }
            #if DEBUG
            if let crashAt, Date() > crashAt { fatalError("forced crash (DESCENT_TEST_CRASH_AFTER)") }
            #endif
            let frameStart = ContinuousClock.now
            app.tick()
            if buffer.width != size.width || buffer.height != size.height {
                buffer = Buffer(width: size.width, height: size.height)
            }
            let cursor = app.render(into: &buffer, input: editor.state)
            terminal.draw(buffer, cursor: cursor)
            frames.record(since: frameStart)
        }
    }
}
