/// A protocol-buffer message written field by field (proto3 wire format), for the few messages
/// TensorBoard's files hold: a tag is (field << 3) | wire type; varints are little-endian base
/// 128; doubles and floats little-endian; strings, bytes and messages length-delimited.
public struct Protobuf: Equatable, Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func key(_ field: Int, _ wireType: UInt64) { varint(UInt64(field) << 3 | wireType) }

    /// An integer or enum field (negative values as ten-byte varints, as proto3 writes int64).
    public mutating func int(_ field: Int, _ value: Int64) {
        key(field, 0)
        varint(UInt64(bitPattern: value))
    }

    public mutating func bool(_ field: Int, _ value: Bool) { int(field, value ? 1 : 0) }

    public mutating func double(_ field: Int, _ value: Double) {
        key(field, 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    public mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }

    public mutating func data(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        varint(UInt64(value.count))
        bytes += value
    }

    public mutating func string(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }

    public mutating func message(_ field: Int, _ value: Protobuf) { data(field, value.bytes) }

    /// A repeated double field, packed (one length-delimited run).
    public mutating func doubles(_ field: Int, _ values: [Double]) {
        var packed: [UInt8] = []
        packed.reserveCapacity(values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { packed += $0 } }
        data(field, packed)
    }

    /// A repeated integer field, packed (one length-delimited run of varints).
    public mutating func ints(_ field: Int, _ values: [Int64]) {
        var packed = Protobuf()
        for v in values { packed.varint(UInt64(bitPattern: v)) }
        data(field, packed.bytes)
    }

    /// A message built by `build`.
    public static func build(_ build: (inout Protobuf) -> Void) -> Protobuf {
        var message = Protobuf()
        build(&message)
        return message
    }
}
