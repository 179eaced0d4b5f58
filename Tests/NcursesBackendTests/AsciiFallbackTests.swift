import Testing
@testable import NcursesBackend

@Suite struct AsciiFallbackTests {
    @Test func everySymbolBecomesOneAsciiCharacter() {
        for symbol in ["→", "·", "∇", "✓", "⠿", "漢", "a", " "] {
            let ascii = AsciiFallback.symbol(symbol)
            #expect(ascii.utf8.count == 1, "\(symbol) → \(ascii)")
        }
        #expect(AsciiFallback.symbol("→") == ">" && AsciiFallback.symbol("x") == "x")
    }
}
