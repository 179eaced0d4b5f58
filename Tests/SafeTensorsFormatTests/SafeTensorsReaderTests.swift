import Testing
@testable import SafeTensorsFormat

/// One test per check the reader makes, each with a small file crafted to break it (the
/// reference implementation's `Metadata::validate` rules first, then Descent's stricter ones),
/// and the round trip the writer and reader make together.
@Suite struct SafeTensorsReaderTests {
    /// A file from a header text and a data section, the length field computed.
    static func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        var n = length ?? UInt64(h.count)
        var out: [UInt8] = []
        for _ in 0..<8 { out.append(UInt8(n & 0xFF)); n >>= 8 }
        return out + h + data
    }

    static func rule(of bytes: [UInt8]) -> SafeTensorsError.Rule? {
        do { _ = try SafeTensors.read(bytes); return nil } catch { return error.rule }
    }

    static let one = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
    static let four: [UInt8] = [0, 0, 128, 63]   // 1.0

    @Test func aWellFormedFileReads() throws {
        let file = try SafeTensors.read(Self.file(Self.one, data: Self.four))
        #expect(file.entries.map(\.name) == ["a"])
        #expect(try file.floats("a") == [1])
    }

    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let tensors = [SafeTensors.Tensor(name: "dense1.w", shape: [2, 3], scalars: [1, -2, 3.5, 0, -0, 1e-30]),
                       SafeTensors.Tensor(name: "dense1.b", shape: [3], scalars: [0.25, 0.5, 0.75]),
                       SafeTensors.Tensor(name: "scalar", shape: [], scalars: [7]),
                       SafeTensors.Tensor(name: "empty", shape: [0, 4], scalars: [])]
        let bytes = try SafeTensors.encode(tensors, metadata: ["format": "pt", "descent": "{\"a\": \"é\\n\"}"])
        #expect((bytes.count - 8) % 4 == 0)
        let file = try SafeTensors.read(bytes)
        #expect(file.metadata == ["format": "pt", "descent": "{\"a\": \"é\\n\"}"])
        for t in tensors {
            let entry = try #require(file.entries.first { $0.name == t.name })
            #expect(entry.shape == t.shape)
            #expect(try file.floats(t.name).map(\.bitPattern) == t.scalars.map(\.bitPattern))
        }
        #expect(try SafeTensors.encode(tensors.reversed(), metadata: ["descent": "{\"a\": \"é\\n\"}", "format": "pt"]) == bytes,
                "the same tensors and metadata in any order give the same bytes")
    }

    // MARK: - The reference's checks

    @Test func aFileShorterThanTheLengthFieldIsRefused() {
        #expect(Self.rule(of: [1, 0, 0]) == .headerTooSmall)
        #expect(Self.rule(of: []) == .headerTooSmall)
    }

    @Test func aHeaderLongerThan100MBIsRefusedBeforeReading() {
        #expect(Self.rule(of: Self.file("{}", length: 100_000_001)) == .headerTooLarge)
        #expect(Self.rule(of: Self.file("{}", length: UInt64.max)) == .headerTooLarge)
    }

    @Test func aHeaderRunningPastTheFileIsRefused() {
        #expect(Self.rule(of: Self.file("{}", length: 50)) == .headerPastEnd)
    }

    @Test func aHeaderThatIsNotUTF8IsRefused() {
        var bytes = Self.file(#"{"a":1}"#)
        bytes[10] = 0xFF
        #expect(Self.rule(of: bytes) == .headerNotUTF8)
    }

    @Test func aHeaderThatIsNotAJSONObjectIsRefused() {
        #expect(Self.rule(of: Self.file(#"{"a": }"#)) == .headerNotJSON)
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#, data: Self.four)) == .headerNotJSON)
    }

    @Test func anUnknownDTypeIsRefused() {
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F33","shape":[1],"data_offsets":[0,4]}}"#, data: Self.four)) == .unknownDType)
    }

    @Test func offsetsMustBeContiguousFromZeroAndEndAfterTheyBegin() {
        // A gap at the start.
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: Self.four + Self.four)) == .offsets)
        // Overlapping tensors.
        let overlap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        #expect(Self.rule(of: Self.file(overlap, data: Self.four)) == .offsets)
    }

    @Test func anEndBeforeItsBeginIsRefused() {
        let backwards = #"{"z":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"a":{"dtype":"U8","shape":[0],"data_offsets":[4,2]}}"#
        #expect(Self.rule(of: Self.file(backwards, data: Self.four)) == .offsets)
    }

    @Test func aShapeWhoseSizeOverflowsIsRefused() {
        let huge = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#
        #expect(Self.rule(of: Self.file(huge, data: Self.four)) == .overflow)
        let bytesOverflow = #"{"a":{"dtype":"F64","shape":[1073741824,2147483648],"data_offsets":[0,4]}}"#
        #expect(Self.rule(of: Self.file(bytesOverflow, data: Self.four)) == .overflow)
    }

    @Test func elementsTimesDTypeSizeMustEqualTheByteRange() {
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: Self.four)) == .sizeMismatch)
    }

    @Test func theDataMustCoverTheRestOfTheFileExactly() {
        #expect(Self.rule(of: Self.file(Self.one, data: Self.four + [0])) == .incompleteBuffer)
        #expect(Self.rule(of: Self.file(Self.one, data: [0, 0])) == .incompleteBuffer)
    }

    // MARK: - Descent's stricter checks

    @Test func theHeaderMustStartWithABrace() {
        #expect(Self.rule(of: Self.file(" " + Self.one, data: Self.four)) == .headerStart)
        #expect(Self.rule(of: Self.file("", data: [])) == .headerStart)
    }

    @Test func aNameMayAppearOnce() {
        let twice = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(Self.rule(of: Self.file(twice, data: Self.four + Self.four)) == .duplicateName)
        #expect(throws: SafeTensorsError.self) {
            try SafeTensors.encode([.init(name: "a", shape: [], scalars: [1]), .init(name: "a", shape: [], scalars: [2])], metadata: [:])
        }
    }

    @Test func nonFiniteWeightsAreRefusedWhenRead() throws {
        let nan: [UInt8] = [0, 0, 192, 127]
        let file = try SafeTensors.read(Self.file(Self.one, data: nan))
        #expect(throws: SafeTensorsError(.nonFinite, "\"a\" holds nan at element 0: weights must be finite")) { try file.floats("a") }
        let inf = try SafeTensors.read(Self.file(Self.one, data: [0, 0, 128, 127]))
        #expect(throws: SafeTensorsError.self) { try inf.floats("a") }
    }

    @Test func entriesMustHaveExactlyTheirThreeFields() {
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[1]}}"#, data: Self.four)) == .badEntry)
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"x":1}}"#, data: Self.four)) == .badEntry)
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Self.four)) == .badEntry)
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, data: Self.four)) == .badEntry)
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, data: Self.four)) == .badEntry)
        #expect(Self.rule(of: Self.file(#"{"a":[1]}"#)) == .badEntry)
    }

    @Test func metadataMustMapTextToText() {
        #expect(Self.rule(of: Self.file(#"{"__metadata__":{"a":1}}"#)) == .badMetadata)
        #expect(Self.rule(of: Self.file(#"{"__metadata__":[]}"#)) == .badMetadata)
        #expect(Self.rule(of: Self.file(#"{"__metadata__":{"a":"b"}}"#)) == nil)
    }

    @Test func nonFiniteOrDeepJSONIsRefused() {
        #expect(Self.rule(of: Self.file(#"{"a":{"dtype":"F32","shape":[1e999],"data_offsets":[0,4]}}"#, data: Self.four)) == .headerNotJSON)
        let deep = "{\"a\":" + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}"
        #expect(Self.rule(of: Self.file(deep)) == .headerNotJSON)
    }

    @Test func onlyFloat32IsTurnedIntoWeights() throws {
        let file = try SafeTensors.read(Self.file(#"{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}"#, data: Self.four))
        #expect(throws: SafeTensorsError.self) { try file.floats("a") }
        #expect(throws: SafeTensorsError.self) { try file.floats("missing") }
    }
}
