import Foundation
import Testing
import TerminalUI

@Suite("Snapshot files")
struct SnapshotTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("descent-snapshot-tests-\(UUID().uuidString)")

    @Test func recordingWritesTheFileAndStillFails() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = Snapshot.assertMatches("a\nb", named: "screen", in: folder, record: false)
        #expect(!missing.matched)
        #expect(missing.message.contains("RECORD_SNAPSHOTS=1"))

        let recorded = Snapshot.assertMatches("a\nb", named: "screen", in: folder, record: true)
        #expect(!recorded.matched)
        #expect(recorded.message.contains("recorded"))
        #expect(try String(contentsOf: folder.appendingPathComponent("screen.txt"), encoding: .utf8) == "a\nb\n")

        #expect(Snapshot.assertMatches("a\nb", named: "screen", in: folder, record: false).matched)
        #expect(Snapshot.assertMatches("a\nb\n", named: "screen", in: folder, record: false).matched)
    }

    @Test func mismatchesShowALineDiff() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = Snapshot.assertMatches("one\ntwo\nthree", named: "s", in: folder, record: true)
        let result = Snapshot.assertMatches("one\n2\nthree", named: "s", in: folder, record: false)
        #expect(!result.matched)
        #expect(result.message.hasSuffix("-002|two\n+002|2"))
    }

    @Test func lineDiffIsLimited() {
        let old = (1...100).map(String.init).joined(separator: "\n")
        let diff = Snapshot.lineDiff(from: old, to: "", limit: 3)
        #expect(diff.components(separatedBy: "\n").count == 4)
        #expect(diff.hasSuffix("… 98 more"))
    }
}
