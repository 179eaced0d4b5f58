import TestSupport
import Foundation
import Testing
@testable import TerminalUI

@Suite("Themes")
struct ThemeTests {
    let themesFolder = repositoryRoot.appendingPathComponent("Themes")

    /// The error `text` raises when parsed as file "t.theme".
    func parseError(_ text: String) -> ThemeError? {
        do {
            _ = try Theme.parse(text, name: "t", file: "t.theme")
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesStylesRampAndComments() throws {
        let theme = try Theme.parse("""
            # a comment
            pane.border = fg=39 bg=default bold   # trailing comment

            loss.val=fg=red underline dim reverse
            heat.ramp = 17, 18,19
            """, name: "custom", file: "custom.theme")
        #expect(theme.name == "custom")
        #expect(theme.style("pane.border") == Style(foreground: .indexed(39), bold: true))
        #expect(theme.style("loss.val") == Style(foreground: .red, bold: false, dim: true, reverse: true, underline: true))
        #expect(theme.rampColors == [17, 18, 19])
        #expect(theme.style("loss.train") == Theme.builtInDefault.style("loss.train"))  // fallback
    }

    @Test func errorsNameFileLineColumnAndWhatWasExpected() {
        let cases: [(String, String)] = [
            ("\npane.boder = bold", "t.theme:2:1: unknown key 'pane.boder'; did you mean 'pane.border'?"),
            ("text = fg=300", "t.theme:1:11: expected a colour (0–255, default, black red green yellow blue magenta cyan white), got '300'"),
            ("text = bold italic", "t.theme:1:13: expected fg=COLOUR, bg=COLOUR, bold, dim, reverse, underline or plain, got 'italic'"),
            ("text bold", "t.theme:1:1: expected 'key = value'"),
            ("  = bold", "t.theme:1:3: expected a key before '='"),
            ("text =   # nothing", "t.theme:1:7: expected a style (fg=COLOUR, bg=COLOUR, bold, dim, reverse, underline or plain)"),
            ("text = fg = 3", "t.theme:1:8: expected fg=COLOUR with no spaces around '='"),
            ("ok = bold\nok = dim", "t.theme:2:1: duplicate key 'ok' (first set on line 1)"),
            ("heat.ramp = 1,2,x", "t.theme:1:17: expected a palette index 0–255 or a basic colour name, got 'x'"),
            ("heat.ramp =", "t.theme:1:12: expected palette indices like 17,18,19 or none"),
            ("text extra = bold", "t.theme:1:6: expected '=' after the key 'text'"),
            ("zzzzzzzzzz = bold", "t.theme:1:1: unknown key 'zzzzzzzzzz'; the keys are listed at the top of Themes/default.theme"),
        ]
        for (text, expected) in cases {
            #expect(parseError(text)?.description == expected, "\(text)")
        }
    }

    @Test func unreadableFileIsAnErrorAtLineZero() {
        #expect(throws: ThemeError.self) {
            try Theme.load(contentsOf: URL(fileURLWithPath: "/nonexistent/x.theme"))
        }
    }

    @Test func everyShippedThemeParsesAndSetsEveryKey() throws {
        let names = Theme.names(in: themesFolder)
        #expect(Set(["default", "light", "solarized-dark", "mono"]).isSubset(of: Set(names)))
        for name in names {
            let url = themesFolder.appendingPathComponent(name + ".theme")
            let theme = try Theme.load(contentsOf: url)
            #expect(theme.name == name)
            let alone = try Theme.parse(String(contentsOf: url, encoding: .utf8), name: name, file: url.path, base: nil)
            #expect(Set(alone.styles.keys) == Set(Theme.styleKeys), "\(name) leaves keys to the fallback")
        }
    }

    @Test func builtInThemesMatchTheirFiles() throws {
        let defaultFile = try Theme.load(named: "default", in: themesFolder)
        #expect(defaultFile == Theme.builtInDefault)
        let monoFile = try Theme.load(named: "mono", in: themesFolder)
        #expect(monoFile == Theme.builtInMono)
    }

    @Test func monoUsesNoColourAndTheOthersDo() throws {
        #expect(!Theme.builtInMono.usesColor)
        #expect(Theme.builtInMono.ramp(0.5) == .terminalDefault)
        for name in ["default", "light", "solarized-dark"] {
            #expect(try Theme.load(named: name, in: themesFolder).usesColor)
        }
    }

    @Test func defaultThemeDocumentsEveryKey() throws {
        let text = try String(contentsOf: themesFolder.appendingPathComponent("default.theme"), encoding: .utf8)
        let header = text.components(separatedBy: "\n").filter { $0.hasPrefix("#") }.joined(separator: "\n")
        for key in Theme.keys where !key.hasPrefix("class.") {
            #expect(header.contains(key), "\(key) is not documented")
        }
        #expect(header.contains("class.0 ... class.9"))
    }

    @Test func rampInterpolatesToTheNearestEntry() {
        let theme = Theme(name: "r", styles: [:], rampColors: [10, 20, 30])
        #expect(theme.ramp(0) == .indexed(10))
        #expect(theme.ramp(0.24) == .indexed(10))
        #expect(theme.ramp(0.26) == .indexed(20))
        #expect(theme.ramp(1) == .indexed(30))
        #expect(theme.ramp(7) == .indexed(30))
        #expect(theme.ramp(-1) == .indexed(10))
        #expect(theme.ramp(.nan) == .indexed(10))
    }

    @Test func unknownKeysAndClassIndicesResolve() {
        let theme = Theme.builtInDefault
        #expect(theme.style("no.such.key") == .plain)
        #expect(theme.classStyle(12) == theme.style("class.2"))
        #expect(theme.classStyle(-1) == theme.style("class.9"))
    }
}
