/// A number written plainly in a text, as a table's numeric column arrives in the Open Inference
/// Protocol's BYTES tensors: an optional minus, 1 to 38 digits, and optionally a point and 1 to
/// 20 digits (`-12.5`, `7`). No exponent, no spaces, no `inf`: every such text is a finite
/// Float's worth, so the OpenAPI document can state the rule as `pattern` and mean it exactly.
enum NumberText {
    static let pattern = "^-?[0-9]{1,38}(\\.[0-9]{1,20})?$"

    /// The number `text` spells, or nil when it is not written plainly.
    static func value(of text: String) -> Double? {
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        let whole = bytes.prefix(while: isDigit)
        guard (1...38).contains(whole.count) else { return nil }
        let rest = bytes.dropFirst(whole.count)
        if !rest.isEmpty {
            guard rest.first == UInt8(ascii: "."), (1...20).contains(rest.count - 1), rest.dropFirst().allSatisfy(isDigit) else { return nil }
        }
        return Double(text)
    }
}
