import Testing
@testable import NcursesBackend

@Suite struct LibraryVersionsTests {
    @Test func ncursesAndReadlineAreLinked() {
        #expect(LibraryVersions.ncurses.hasPrefix("ncurses 6."))
        #expect(LibraryVersions.readline.hasPrefix("8."))
    }
}
