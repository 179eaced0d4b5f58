import Testing
import EventRing

/// A snapshot whose fields must agree: every element equals `version`, so a torn copy shows.
struct Summary: Sendable {
    var version: Int
    var values: [Int]

    init(version: Int, width: Int = 32) {
        self.version = version
        self.values = Array(repeating: version, count: width)
    }

    var isIntact: Bool { values.allSatisfy { $0 == version } }
}

@Suite("SnapshotSlot, one thread")
struct SnapshotSlotTests {
    @Test func emptyUntilFirstPublish() {
        let slot = SnapshotSlot<Summary>()
        #expect(slot.latest() == nil)
        #expect(slot.latest() == nil)
        #expect(slot.version == 0)
    }

    @Test func latestIsTheNewestPublish() {
        let slot = SnapshotSlot<Summary>()
        slot.publish(Summary(version: 1))
        #expect(slot.latest()?.version == 1)
        for v in 2...5 { slot.publish(Summary(version: v)) }
        #expect(slot.version == 5)
        let summary = slot.latest()
        #expect(summary?.version == 5)
        #expect(summary?.isIntact == true)
    }

    @Test func latestRepeatsWhenNothingNew() {
        let slot = SnapshotSlot<Summary>()
        slot.publish(Summary(version: 1))
        #expect(slot.latest()?.version == 1)
        #expect(slot.latest()?.version == 1)
        slot.publish(Summary(version: 2))
        #expect(slot.latest()?.version == 2)
        #expect(slot.latest()?.version == 2)
    }

    @Test func everyInterleavingOfPublishAndRead() {
        // Walk all three cells through each role: publish k times, then read, for k = 1...4.
        let slot = SnapshotSlot<Summary>()
        var version = 0
        for round in 0..<50 {
            for _ in 0...(round % 4) {
                version += 1
                slot.publish(Summary(version: version))
            }
            let summary = slot.latest()
            #expect(summary?.version == version)
            #expect(summary?.isIntact == true)
        }
    }
}
