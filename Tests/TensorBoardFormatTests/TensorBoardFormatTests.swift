import Testing
import TensorBoardFormat
import ProtobufWire

/// TensorBoard's file format against the published vectors (`../shared/INTERFACES.md`); the
/// Python `tensorboard` package reads Descent's logs in `make test` (Tests/Interop).
@Suite struct TensorBoardFormatTests {
    @Test func crc32cMatchesTheTestVectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.masked([0x1A, 0x11] + Array("CRC test, one two".utf8)) == 0x5794_D08A)
    }

    @Test func anEventIsTheDocumentedBytes() {
        let event = TensorBoardEvent.summary([TensorBoardEvent.scalar("loss", 0.5)], step: 10, wallTime: 1.7e9)
        #expect(event == [0x09, 0x00, 0x00, 0x00, 0x40, 0xfc, 0x54, 0xd9, 0x41, 0x10, 0x0a, 0x2a, 0x0d, 0x0a, 0x0b, 0x0a,
                          0x04, 0x6c, 0x6f, 0x73, 0x73, 0x15, 0x00, 0x00, 0x00, 0x3f])
    }

    @Test func recordsAreFramedAndCheckedBothWays() {
        let a = TensorBoardEvent.fileVersion(wallTime: 1.7e9), b = TensorBoardEvent.summary([], step: 3, wallTime: 1.7e9)
        var file = TFRecord.frame(a) + TFRecord.frame(b)
        #expect(file.count == a.count + b.count + 32)
        #expect(TFRecord.records(file) == [a, b])
        file[file.count - 6] ^= 1
        #expect(TFRecord.records(file) == nil, "a flipped bit fails the data's checksum")
        #expect(TFRecord.records(Array(TFRecord.frame(a).dropLast())) == nil, "a cut record is refused")
    }

    @Test func aHistogramCountsEveryValueWithExactSums() {
        let h = TensorBoardEvent.Histogram(of: [0, 1, 2, 3, 4] as [Float], buckets: 4)
        #expect(h.counts == [1, 1, 1, 2] && h.limits == [1, 2, 3, 4])
        #expect(h.num == 5 && h.sum == 10 && h.sumSquares == 30 && h.min == 0 && h.max == 4)
        let constant = TensorBoardEvent.Histogram(of: [2, 2] as [Float])
        #expect(constant.counts == [2] && constant.limits == [3])
    }

    @Test func varintsAndNegativeIntegers() {
        #expect(Protobuf.build { $0.int(2, 300) }.bytes == [0x10, 0xAC, 0x02])
        #expect(Protobuf.build { $0.int(1, -1) }.bytes == [0x08] + Array(repeating: 0xFF, count: 9) + [0x01])
    }
}
