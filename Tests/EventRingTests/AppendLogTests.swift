import Testing
import Foundation
@testable import EventRing

@Suite struct AppendLogTests {
    @Test func appendsInOrderAndCountsOverflow() {
        let log = AppendLog<Int>(capacity: 3)
        #expect(log.count == 0)
        #expect(log.append(1) && log.append(2) && log.append(3))
        #expect(!log.append(4))
        #expect(log.elements == [1, 2, 3] && log.overflowed == 1 && log[2] == 3)
    }

    /// One writer appends while a reader polls `count` and reads every published record:
    /// each record is whole (both fields agree) and none is missed.
    @Test func readerSeesEveryRecordWhole() {
        struct Record: Sendable, BitwiseCopyable { var a: Int; var b: Int }
        let n = 200_000
        let log = AppendLog<Record>(capacity: n)
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
