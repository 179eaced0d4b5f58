import Testing
import Foundation
@testable import EventRing

@Suite struct AppendLogTests {
    /// Records past the first chunk land in chunks that double, in order, none lost.
    @Test func appendsInOrderAcrossChunks() {
        let log = AppendLog<Int>(initialCapacity: 3)
        #expect(log.count == 0)
        for i in 0..<1000 { log.append(i) }
        #expect(log.count == 1000 && log.elements == Array(0..<1000) && log[4] == 4 && log[999] == 999)
        #expect(log.locate(0) == (0, 0) && log.locate(3) == (0, 3) && log.locate(4) == (1, 0)
                && log.locate(11) == (1, 7) && log.locate(12) == (2, 0))
    }

    /// One writer appends while a reader polls `count` and reads every published record:
    /// each record is whole (both fields agree) and none is missed.
    @Test func readerSeesEveryRecordWhole() {
        struct Record: Sendable, BitwiseCopyable { var a: Int; var b: Int }
        let n = 200_000
        let log = AppendLog<Record>(initialCapacity: 16)
        let writer = Thread {
            for i in 0..<n { log.append(Record(a: i, b: -i)) }
        }
        writer.start()
        var next = 0, torn = 0
        while next < n {
            let available = log.count
            while next < available {
                let r = log[next]
                if r.a != next || r.b != -next { torn += 1 }
                next += 1
            }
        }
        #expect(torn == 0 && next == n)
    }
}
