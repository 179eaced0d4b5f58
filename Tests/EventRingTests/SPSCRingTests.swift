import Testing
@testable import EventRing

/// A ring event carrying its own check: `payload` is a function of `seq`, so a torn or stale
/// slot shows up as a mismatch.
struct Stamp: Sendable, BitwiseCopyable, Equatable {
    var seq: Int
    var payload: Double

    init(_ seq: Int) {
        self.seq = seq
        self.payload = Double(seq) * 0.5
    }

    var isIntact: Bool { payload == Double(seq) * 0.5 }
}

@Suite("SPSCRing, one thread")
struct SPSCRingTests {
    @Test("capacity rounds up to a power of two", arguments: [
        (1, 1), (2, 2), (3, 4), (5, 8), (8, 8), (1000, 1024), (1025, 2048),
    ])
    func capacityRounding(requested: Int, expected: Int) {
        #expect(SPSCRing<Int>(capacity: requested).capacity == expected)
    }

    @Test func pushThenPopKeepsOrder() {
        let ring = SPSCRing<Stamp>(capacity: 8)
        #expect(ring.pop() == nil)
        for i in 0..<5 { #expect(ring.push(Stamp(i))) }
        #expect(ring.count == 5)
        for i in 0..<5 { #expect(ring.pop() == Stamp(i)) }
        #expect(ring.pop() == nil)
        #expect(ring.count == 0)
        #expect(ring.dropped == 0)
    }

    @Test func fullRingDropsAndCounts() {
        let ring = SPSCRing<Int>(capacity: 4)
        for i in 0..<4 { #expect(ring.push(i)) }
        #expect(ring.push(99) == false)
        #expect(ring.push(100) == false)
        #expect(ring.dropped == 2)
        #expect(ring.count == 4)
        #expect(ring.pop() == 0)
        #expect(ring.push(4))  // one slot freed: room again
        #expect(ring.dropped == 2)
        var seen: [Int] = []
        ring.drain { seen.append($0) }
        #expect(seen == [1, 2, 3, 4])
    }

    @Test func capacityOneHoldsOneEvent() {
        let ring = SPSCRing<Int>(capacity: 1)
        #expect(ring.push(7))
        #expect(ring.push(8) == false)
        #expect(ring.pop() == 7)
        #expect(ring.push(9))
        #expect(ring.pop() == 9)
        #expect(ring.dropped == 1)
    }

    @Test func drainPassesEventsOldestFirst() {
        let ring = SPSCRing<Int>(capacity: 16)
        #expect(ring.drain { _ in Issue.record("empty ring passed an event") } == 0)
        for i in 0..<10 { ring.push(i) }
        var seen: [Int] = []
        #expect(ring.drain(max: 3) { seen.append($0) } == 3)
        #expect(seen == [0, 1, 2])
        #expect(ring.count == 7)
        #expect(ring.drain(max: 0) { seen.append($0) } == 0)
        #expect(ring.drain { seen.append($0) } == 7)
        #expect(seen == Array(0..<10))
        #expect(ring.count == 0)
    }

    @Test func wrapsAroundManyTimes() {
        let ring = SPSCRing<Stamp>(capacity: 8)
        var next = 0, expected = 0
        // Uneven batch sizes so head and tail cross the end of storage at every offset.
        for round in 0..<10_000 {
            for _ in 0..<(round % 8 + 1) {
                #expect(ring.push(Stamp(next)))
                next += 1
            }
            let limit = round % 3 == 0 ? Int.max : round % 8 + 1
            ring.drain(max: limit) { event in
                if event != Stamp(expected) { Issue.record("got \(event.seq), wanted \(expected)") }
                expected += 1
            }
        }
        while let event = ring.pop() {
            #expect(event == Stamp(expected))
            expected += 1
        }
        #expect(expected == next)
        #expect(next > 10 * ring.capacity)
        #expect(ring.dropped == 0)
    }

    @Test func indicesSitOnSeparateCacheLineBlocks() {
        let indices = SPSCRing<Int>(capacity: 4).indices
        let block = RingIndices.blockSize
        let offsets = [
            indices.offset(of: indices.head), indices.offset(of: indices.cachedTail),
            indices.offset(of: indices.tail), indices.offset(of: indices.cachedHead),
        ]
        #expect(offsets == [0, block, 2 * block, 3 * block])
        #expect(indices.offset(of: indices.dropped) < 3 * block)
        #expect(Int(bitPattern: indices.head) % block == 0)
    }
}
