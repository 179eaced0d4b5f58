/// TFRecord framing, as TensorBoard's event files use it: each record is
/// `u64 length (LE) | u32 masked crc32c of those 8 bytes | data | u32 masked crc32c of data`.
/// TensorBoard's reader checks both checksums.
public enum TFRecord {
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16)
        withUnsafeBytes(of: UInt64(data.count).littleEndian) { out += $0 }
        withUnsafeBytes(of: CRC32C.masked(out).littleEndian) { out += $0 }
        out += data
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { out += $0 }
        return out
    }

    /// The records of `bytes` (for tests and for reading a log back); nil when a frame or a
    /// checksum is wrong.
    public static func records(_ bytes: [UInt8]) -> [[UInt8]]? {
        var out: [[UInt8]] = [], i = 0
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        while i < bytes.count {
            guard i + 12 <= bytes.count else { return nil }
            let length = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * $1) }
            guard CRC32C.masked(bytes[i..<(i + 8)]) == u32(i + 8), length <= UInt64(bytes.count - i - 16) else { return nil }
            let start = i + 12, end = start + Int(length)
            guard CRC32C.masked(bytes[start..<end]) == u32(end) else { return nil }
            out.append(Array(bytes[start..<end]))
            i = end + 4
        }
        return out
    }

    /// The name TensorBoard looks for: `events.out.tfevents.<unix time>.<host>.<pid>.<n>`.
    public static func fileName(time: Int, host: String, pid: Int32, sequence: Int) -> String {
        "events.out.tfevents.\(time).\(host).\(pid).\(sequence)"
    }
}
