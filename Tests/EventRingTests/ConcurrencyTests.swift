import Foundation
import TestSupport
import Testing
import EventRing

/// Two-thread tests: a producer thread and a consumer thread, checked after both join.
/// Serialized so that only two busy threads run at a time on a small machine.
@Suite("Two threads", .serialized)
struct ConcurrencyTests {
    struct ConsumerReport: Sendable {
        var received = 0
        var outOfOrder = 0
        var torn = 0
        var lastSeq = -1
        var gaps = 0  // events whose seq is not lastSeq + 1
    }

    /// Drains `ring` until `done` is raised and the ring is empty.
    static func consume(_ ring: SPSCRing<Stamp>, until done: Flag) -> ConsumerReport {
        var report = ConsumerReport()
        while true {
            let finished = done.isRaised  // read before draining: nothing pushed before it is missed
            let n = ring.drain { event in
                if event.seq <= report.lastSeq { report.outOfOrder += 1 }
                if event.seq != report.lastSeq + 1 { report.gaps += 1 }
                if !event.isIntact { report.torn += 1 }
                report.lastSeq = event.seq
            }
            report.received += n
            if n == 0 {
                if finished { return report }
                sched_yield()
            }
        }
    }

    @Test func producerDropsWhenFullAndNothingIsLostUncounted() {
        let sent = StressScale.events
        let ring = SPSCRing<Stamp>(capacity: 1024)
        let done = Flag()
        let consumer = JoinableThread(name: "consumer") { Self.consume(ring, until: done) }
        let producer = JoinableThread(name: "producer") { () -> Int in
            var failed = 0
            for seq in 0..<sent where !ring.push(Stamp(seq)) { failed += 1 }
            done.raise()
            return failed
        }
        let failed = producer.join()
        let report = consumer.join()

        #expect(report.outOfOrder == 0)
        #expect(report.torn == 0)
        #expect(report.received + ring.dropped == sent)
        #expect(ring.dropped == failed)
        #expect(report.received > 0)
        #expect(ring.count == 0)
    }

    @Test func producerRetriesAndEverythingArrivesInOrder() {
        let sent = StressScale.events
        let ring = SPSCRing<Stamp>(capacity: 64)  // small: full and wrap-around all the time
        let done = Flag()
        let consumer = JoinableThread(name: "consumer") { Self.consume(ring, until: done) }
        let producer = JoinableThread(name: "producer") { () -> Int in
            var attempts = 0
            for seq in 0..<sent {
                attempts += 1
                while !ring.push(Stamp(seq)) {
                    attempts += 1
                    sched_yield()
                }
            }
            done.raise()
            return attempts
        }
        let attempts = producer.join()
        let report = consumer.join()

        #expect(report.received == sent)
        #expect(report.lastSeq == sent - 1)
        #expect(report.gaps == 0)
        #expect(report.torn == 0)
        #expect(attempts == sent + ring.dropped)  // every failed push is counted, once
    }

    @Test func popOneAtATimeWithRetries() {
        let sent = StressScale.events / 4
        let ring = SPSCRing<Stamp>(capacity: 8)
        let producer = JoinableThread(name: "producer") {
            for seq in 0..<sent {
                while !ring.push(Stamp(seq)) { sched_yield() }
            }
        }
        let consumer = JoinableThread(name: "consumer") { () -> Int in
            var expected = 0, bad = 0
            while expected < sent {
                guard let event = ring.pop() else { sched_yield(); continue }
                if event != Stamp(expected) { bad += 1 }
                expected += 1
            }
            return bad
        }
        producer.join()
        #expect(consumer.join() == 0)
        #expect(ring.pop() == nil)
    }

    /// With `readsVersion`, the reader also checks the ``SnapshotSlot/version`` promise; that
    /// acquiring load orders memory by itself, so the plain run is the one that proves
    /// `publish`/`latest` synchronise on their own (under ThreadSanitizer).
    @Test(arguments: [false, true])
    func snapshotReaderNeverSeesATornOrOlderValue(readsVersion: Bool) {
        let publishes = StressScale.events / 20
        let slot = SnapshotSlot<Summary>()
        let writer = JoinableThread(name: "writer") {
            for version in 1...publishes { slot.publish(Summary(version: version)) }
        }
        let reader = JoinableThread(name: "reader") { () -> (distinct: Int, errors: [String]) in
            var last = 0, distinct = 0
            var errors: [String] = []
            while last < publishes && errors.count < 10 {
                let promised = readsVersion ? slot.version : 0  // latest() must be this or newer
                guard let summary = slot.latest() else {
                    if promised > 0 { errors.append("nil after version \(promised)") }
                    continue
                }
                if !summary.isIntact { errors.append("torn value at version \(summary.version)") }
                if summary.version < last { errors.append("version \(summary.version) after \(last)") }
                if summary.version < promised {
                    errors.append("version \(summary.version) after version counter \(promised)")
                }
                if summary.version > last { distinct += 1 }
                last = summary.version
            }
            return (distinct, errors)
        }
        writer.join()
        let result = reader.join()
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.distinct >= 1)
        #expect(slot.version == publishes)
        #expect(slot.latest()?.version == publishes)
    }
}
