import Testing
@testable import SafeTensorsFormat

@Suite struct StrictJSONTests {
    func parse(_ text: String) throws(StrictJSON.Failure) -> JSONValue { try StrictJSON.parse(Array(text.utf8)) }

    @Test func readsWhatJSONAllows() throws {
        #expect(try parse(#" {"a": [1, -2.5e3, true, false, null, "x\"\u00e9\ud83d\ude00"]} "#)
                == .object([("a", .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x\"é😀")]))]))
    }

    @Test func refusesWithTheByteOffset() {
        #expect(throws: StrictJSON.Failure(offset: 6, reason: "unexpected character '}'")) { try parse(#"{"a": }"#) }
        #expect(throws: StrictJSON.Failure(offset: 9, reason: "the key \"a\" appears twice")) { try parse(#"{"a": 1, "a": 2}"#) }
        #expect(throws: StrictJSON.Failure.self) { try parse("[01]") }
        #expect(throws: StrictJSON.Failure.self) { try parse("[1] x") }
        #expect(throws: StrictJSON.Failure.self) { try parse(#"["\ud800"]"#) }
        #expect(throws: StrictJSON.Failure.self) { try parse("\"a\u{1}\"") }
    }

    @Test func writesBackWhatItReads() throws {
        let value = JSONValue.object([("k", .string("q\"\\\n\u{1}")), ("n", .array([.number(3), .number(0.5)]))])
        #expect(try parse(value.text) == value)
    }
}
