import Testing
import TerminalUI

@Suite("Style, colour and glyphs")
struct StyleTests {
    @Test func patchingOverridesSetColoursAndAddsAttributes() {
        let base = Style(foreground: .indexed(240), background: .indexed(236), bold: true)
        let patched = base.patched(with: Style(foreground: .red, underline: true))
        #expect(patched == Style(foreground: .red, background: .indexed(236), bold: true, underline: true))
        #expect(base.patched(with: .plain) == base)
    }

    @Test func themeColourValues() {
        #expect(Color(themeValue: "default") == .terminalDefault)
        #expect(Color(themeValue: "Magenta") == .magenta)
        #expect(Color(themeValue: "255") == .indexed(255))
        #expect(Color(themeValue: "256") == nil)
        #expect(Color(themeValue: "-1") == nil)
        #expect(Color(themeValue: "purple") == nil)
    }

    @Test func localeChoosesGlyphs() {
        #expect(Glyphs.forLocale(environment: ["LANG": "en_US.UTF-8"]) == .unicode)
        #expect(Glyphs.forLocale(environment: ["LC_ALL": "C", "LANG": "en_US.UTF-8"]) == .ascii)
        #expect(Glyphs.forLocale(environment: ["LC_ALL": "", "LC_CTYPE": "C.utf8"]) == .unicode)
        #expect(Glyphs.forLocale(environment: [:]) == .ascii)
    }

    @Test func classMarksWrap() {
        #expect(Glyphs.ascii.classMark(0) == "o")
        #expect(Glyphs.ascii.classMark(11) == "x")
        #expect(Glyphs.ascii.classMark(-1) == "~")
    }
}
