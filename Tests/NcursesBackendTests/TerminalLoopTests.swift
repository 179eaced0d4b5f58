import Testing
@preconcurrency import CNcursesw
import TerminalUI
@testable import NcursesBackend

/// The terminal loop on a scripted terminal: keys go to the application first and then to the
/// line, finished lines are submitted, each frame ticks and draws, and every way out shuts the
/// application down and gives the terminal back.
@MainActor
@Suite struct TerminalLoopTests {
    /// An application that keeps what the loop did to it and takes F2 for itself.
    final class Recorder: TerminalApplication {
        var handled: [Key] = []
        var submitted: [String] = []
        var interrupts = 0
        var ticks = 0
        var rendered: [(width: Int, height: Int, input: InputLine)] = []
        var wantsToQuit = false
        var shutDowns = 0
        var quitOnSecondInterrupt = true
        var isAnimating = true

        func handle(_ key: Key, input: InputLine) -> Bool {
            guard key == .function(2) else { return false }
            handled.append(key)
            return true
        }
        func submit(_ line: String) {
            submitted.append(line)
            if line == "quit" { wantsToQuit = true }
        }
        func interrupt(input: InputLine) -> Bool {
            interrupts += 1
            return quitOnSecondInterrupt && interrupts == 2
        }
        func completions(for line: String, cursor: Int) -> [String] { [] }
        var shown: [String] = []
        func showCompletions(_ candidates: [String]) { shown += candidates }
        func tick() { ticks += 1 }
        func render(into buffer: inout Buffer, input: InputLine) -> (x: Int, y: Int)? {
            rendered.append((buffer.width, buffer.height, input))
            buffer.write(input.prompt + input.text, x: 0, y: 0, style: Style())
            return (input.prompt.count + input.cursor, 0)
        }
        func shutDown() { shutDowns += 1 }
        func terminalStarted(colors: Int, unicode: Bool) {}
    }

    @Test func typedLinesAreSubmittedAndTheScreenDrawsEachFrame() {
        let app = Recorder()
        let terminal = ScriptedTerminal(width: 40, height: 10, events: ScriptedTerminal.typing("train\r") + [.key(.code(KEY_F0 + 2))]
                                        + ScriptedTerminal.typing("stap\u{7f}\u{7f}ep\r"))
        let editor = ScriptedLineInput()
        TerminalLoop.run(app, on: terminal, editor: editor, frameLimit: 20)
        #expect(app.submitted == ["train", "step"])
        #expect(app.handled == [.function(2)], "the application's key never reaches the line")
        #expect(app.ticks == 20 && terminal.frames.count == 20)
        #expect(terminal.frames.last?.text.hasPrefix("descent>") == true && terminal.frames.last?.cursor?.x == 9)
        #expect(app.shutDowns == 1 && editor.closed && terminal.restored == 1, "the way out gives everything back")
    }

    /// A still screen is drawn four times a second, not thirty: 2 s (60 frames) after the last
    /// key, while the application says nothing moves; a moving one every frame.
    @Test func aStillScreenWaitsLongerBetweenFrames() {
        let still = Recorder()
        still.isAnimating = false
        let terminal = ScriptedTerminal(events: ScriptedTerminal.typing("x"))
        TerminalLoop.run(still, on: terminal, editor: ScriptedLineInput(), frameLimit: 100)
        #expect(terminal.waits.count == 100)
        #expect(terminal.waits.prefix(61).allSatisfy { $0 == 33 } && terminal.waits.suffix(39).allSatisfy { $0 == 250 }, "\(terminal.waits)")
        let moving = Recorder()
        let busy = ScriptedTerminal(events: [])
        TerminalLoop.run(moving, on: busy, editor: ScriptedLineInput(), frameLimit: 100)
        #expect(busy.waits.allSatisfy { $0 == 33 })
    }

    /// A learner's workbench in a class ends after its idle limit without a key, as on quit.
    @Test func anIdleLimitEndsTheLoop() {
        let app = Recorder()
        let terminal = ScriptedTerminal(events: ScriptedTerminal.typing("step\r"))
        let editor = ScriptedLineInput()
        let start = ContinuousClock.now
        TerminalLoop.run(app, on: terminal, editor: editor, frameLimit: 100_000_000, idleLimit: .milliseconds(200))
        #expect(app.submitted == ["step"])
        #expect(ContinuousClock.now - start >= .milliseconds(200) && app.ticks < 100_000_000, "it ended by itself")
        #expect(app.shutDowns == 1 && terminal.restored == 1, "and gave everything back")
    }

    @Test func ctrlCInterruptsAndTwiceQuits() {
        let app = Recorder()
        let terminal = ScriptedTerminal(events: ScriptedTerminal.typing("half a li") + [.key(.character(3)), .key(.character(3))])
        let editor = ScriptedLineInput()
        TerminalLoop.run(app, on: terminal, editor: editor, frameLimit: 50)
        #expect(app.interrupts == 2 && app.submitted.isEmpty)
        #expect(app.ticks < 50, "the second Ctrl-C ended the loop")
        #expect(app.shutDowns == 1 && terminal.restored == 1)
    }

    @Test func ctrlDQuitsOnlyOnAnEmptyLine() {
        let app = Recorder()
        let terminal = ScriptedTerminal(events: ScriptedTerminal.typing("x") + [.key(.character(4))]
                                        + [.key(.character(0x7f)), .key(.character(4))])
        TerminalLoop.run(app, on: terminal, editor: ScriptedLineInput(), frameLimit: 50)
        #expect(app.ticks < 50 && app.submitted.isEmpty)
    }

    @Test func aResizeRepaintsAtTheNewSize() {
        let app = Recorder()
        let terminal = ScriptedTerminal(width: 120, height: 40, events: [.resize(width: 80, height: 24)])
        TerminalLoop.run(app, on: terminal, editor: ScriptedLineInput(), frameLimit: 3)
        #expect(terminal.invalidations == 1)
        #expect(app.rendered.last?.width == 80 && app.rendered.last?.height == 24)
    }

    @Test func ctrlZSuspendsAndTheLoopGoesOn() {
        let app = Recorder()
        let terminal = ScriptedTerminal(events: [.key(.character(26))] + ScriptedTerminal.typing("quit\r"))
        TerminalLoop.run(app, on: terminal, editor: ScriptedLineInput(), frameLimit: 50)
        #expect(terminal.suspensions == 1 && app.submitted == ["quit"])
    }

    /// Over SSH (a forced command, no shell's job control) nothing could bring it back: refused, said.
    @Test func ctrlZWithoutJobControlIsRefusedWithAWord() {
        let app = Recorder()
        let terminal = ScriptedTerminal(events: [.key(.character(26))] + ScriptedTerminal.typing("quit\r"))
        terminal.canSuspend = false
        TerminalLoop.run(app, on: terminal, editor: ScriptedLineInput(), frameLimit: 50)
        #expect(terminal.suspensions == 0 && app.submitted == ["quit"])
        #expect(app.shown.joined().contains("Ctrl-D or `quit` ends it"))
    }
}
