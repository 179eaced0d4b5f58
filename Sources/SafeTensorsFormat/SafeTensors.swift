/// The safetensors format (huggingface/safetensors, `docs/source/index.mdx`; what PyTorch,
/// numpy and JAX users read and write weights with):
///
///     8 bytes   N, the header's length, unsigned little-endian
///     N bytes   the header: a UTF-8 JSON object, padded with spaces
///               {"__metadata__": {"key": "text", …},
///                "dense1.w": {"dtype": "F32", "shape": [2, 8], "data_offsets": [0, 64]}, …}
///     the rest  the tensors' bytes, little-endian, row-major; offsets count from here
///
/// `read` checks what the reference implementation's `Metadata::validate` checks, and more:
/// see `SafeTensorsError.Rule`, one case per check, each with a test that breaks it.
public enum SafeTensors {
    /// The reference's bound on N (`MAX_HEADER_SIZE`): a header claiming more is refused
    /// before anything is read.
    public static let maxHeaderLength = 100_000_000

    /// The element types of the format, with their sizes in bits.
    public enum DType: String, CaseIterable, Sendable {
        case BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, F64, I64, U64

        public var bits: Int {
            switch self {
            case .BOOL, .U8, .I8, .F8_E5M2, .F8_E4M3: 8
            case .I16, .U16, .F16, .BF16: 16
            case .I32, .U32, .F32: 32
            case .F64, .I64, .U64: 64
            }
        }
    }

    /// One tensor's entry in the header.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        /// Byte offsets into the data section, `begin..<end`.
        public var begin: Int
        public var end: Int
    }

    /// A file read and validated: its entries in offset order, its metadata and its bytes.
    public struct File: Sendable {
        public var entries: [Entry]
        public var metadata: [String: String]
        /// Where the data section starts in `bytes` (8 + N).
        public var dataStart: Int
        public var bytes: [UInt8]

        /// The tensor `name` as Float32 scalars, row-major. Throws unless it is F32 and every
        /// value is finite (a stricter rule than the reference's: a model with a NaN weight
        /// predicts NaN).
        public func floats(_ name: String) throws(SafeTensorsError) -> [Float] {
            guard let entry = entries.first(where: { $0.name == name }) else {
                throw SafeTensorsError(.missingTensor, "no tensor named \"\(name)\"")
            }
            guard entry.dtype == .F32 else {
                throw SafeTensorsError(.unsupportedDType, "\"\(name)\" is \(entry.dtype.rawValue); Descent reads F32 only")
            }
            let count = (entry.end - entry.begin) / 4
            var values = [Float](repeating: 0, count: count)
            let base = dataStart + entry.begin
            for k in 0..<count {
                let o = base + 4 * k
                let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
                let x = Float(bitPattern: bits)
                guard x.isFinite else {
                    throw SafeTensorsError(.nonFinite, "\"\(name)\" holds \(x) at element \(k): weights must be finite")
                }
                values[k] = x
            }
            return values
        }
    }

    /// A Float32 tensor to write.
    public struct Tensor: Equatable, Sendable {
        public var name: String
        public var shape: [Int]
        public var scalars: [Float]

        public init(name: String, shape: [Int], scalars: [Float]) {
            self.name = name
            self.shape = shape
            self.scalars = scalars
        }
    }

    // MARK: - Writing

    /// The file's bytes: tensors in name order, the header's keys sorted and padded with
    /// spaces to a multiple of 8 bytes (so the data is aligned, as the reference writer does).
    /// Equal inputs give equal bytes. Throws on duplicate or empty names, a reserved name, or
    /// scalars that do not fill their shape.
    public static func encode(_ tensors: [Tensor], metadata: [String: String]) throws(SafeTensorsError) -> [UInt8] {
        let sorted = tensors.sorted { $0.name < $1.name }
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            members.append(("__metadata__", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        var offset = 0
        var previous: String?
        for t in sorted {
            guard !t.name.isEmpty, t.name != "__metadata__" else {
                throw SafeTensorsError(.badEntry, "a tensor needs a name other than \"\(t.name)\"")
            }
            guard t.name != previous else { throw SafeTensorsError(.duplicateName, "two tensors are named \"\(t.name)\"") }
            previous = t.name
            guard t.shape.allSatisfy({ $0 >= 0 }), t.shape.reduce(1, *) == t.scalars.count else {
                throw SafeTensorsError(.sizeMismatch, "\"\(t.name)\": \(t.scalars.count) values do not fill shape \(t.shape)")
            }
            let end = offset + 4 * t.scalars.count
            members.append((t.name, .object([
                ("dtype", .string("F32")),
                ("shape", .array(t.shape.map { .number(Double($0)) })),
                ("data_offsets", .array([.number(Double(offset)), .number(Double(end))])),
            ])))
            offset = end
        }
        var header = Array(JSONValue.object(members).text.utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        var n = UInt64(header.count)
        for _ in 0..<8 { out.append(UInt8(n & 0xFF)); n >>= 8 }
        out += header
        for t in sorted {
            for x in t.scalars {
                let bits = x.bitPattern
                out += [UInt8(bits & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits >> 16 & 0xFF), UInt8(bits >> 24)]
            }
        }
        return out
    }

    // MARK: - Reading

    /// Reads and validates a whole file. Never traps, whatever the bytes.
    public static func read(_ bytes: [UInt8]) throws(SafeTensorsError) -> File {
        guard bytes.count >= 8 else {
            throw SafeTensorsError(.headerTooSmall, "the file is \(bytes.count) bytes: too short for the 8-byte header length")
        }
        var n: UInt64 = 0
        for k in (0..<8).reversed() { n = n << 8 | UInt64(bytes[k]) }
        guard n <= UInt64(maxHeaderLength) else {
            throw SafeTensorsError(.headerTooLarge, "the header length \(n) is over the limit of \(maxHeaderLength) bytes")
        }
        let headerEnd = 8 + Int(n)
        guard headerEnd <= bytes.count else {
            throw SafeTensorsError(.headerPastEnd, "the header length \(n) runs past the end of the \(bytes.count)-byte file")
        }
        let header = Array(bytes[8..<headerEnd])
        guard String(validating: header, as: UTF8.self) != nil else {
            throw SafeTensorsError(.headerNotUTF8, "the header is not UTF-8 text")
        }
        guard header.first == UInt8(ascii: "{") else {
            throw SafeTensorsError(.headerStart, "the header does not start with '{'")
        }
        let json: JSONValue
        do {
            json = try StrictJSON.parse(header)
        } catch {
            throw SafeTensorsError(error.reason.contains("appears twice") ? .duplicateName : .headerNotJSON,
                                   "the header's JSON, at byte \(8 + error.offset) of the file: \(error.reason)")
        }
        guard case .object(let members) = json else {
            throw SafeTensorsError(.headerNotJSON, "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        for (key, value) in members {
            if key == "__metadata__" {
                guard case .object(let pairs) = value else {
                    throw SafeTensorsError(.badMetadata, "__metadata__ must be an object of strings")
                }
                for (k, v) in pairs {
                    guard case .string(let text) = v else {
                        throw SafeTensorsError(.badMetadata, "__metadata__ \"\(k)\" must be a string")
                    }
                    metadata[k] = text
                }
            } else {
                entries.append(try entry(key, value))
            }
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var expectedBegin = 0
        for e in entries {
            guard e.begin == expectedBegin else {
                throw SafeTensorsError(.offsets, "\"\(e.name)\" begins at byte \(e.begin), expected \(expectedBegin): "
                                       + "tensors must follow each other from 0 with no gap or overlap")
            }
            guard e.end >= e.begin else {
                throw SafeTensorsError(.offsets, "\"\(e.name)\" ends at byte \(e.end), before it begins (\(e.begin))")
            }
            var elements = 1
            for d in e.shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow else { throw SafeTensorsError(.overflow, "\"\(e.name)\": shape \(e.shape) overflows") }
                elements = product
            }
            let (bits, overflow) = elements.multipliedReportingOverflow(by: e.dtype.bits)
            guard !overflow else { throw SafeTensorsError(.overflow, "\"\(e.name)\": shape \(e.shape) overflows in bytes") }
            guard bits % 8 == 0, bits / 8 == e.end - e.begin else {
                throw SafeTensorsError(.sizeMismatch, "\"\(e.name)\": shape \(e.shape) of \(e.dtype.rawValue) needs "
                                       + "\(bits / 8) bytes, its offsets give \(e.end - e.begin)")
            }
            expectedBegin = e.end
        }
        guard headerEnd + expectedBegin == bytes.count else {
            throw SafeTensorsError(.incompleteBuffer, "the tensors take \(expectedBegin) bytes after the header, "
                                   + "the file has \(bytes.count - headerEnd)")
        }
        return File(entries: entries, metadata: metadata, dataStart: headerEnd, bytes: bytes)
    }

    private static func entry(_ name: String, _ value: JSONValue) throws(SafeTensorsError) -> Entry {
        guard !name.isEmpty else { throw SafeTensorsError(.badEntry, "a tensor has an empty name") }
        guard case .object(let fields) = value else {
            throw SafeTensorsError(.badEntry, "\"\(name)\" must be an object with dtype, shape and data_offsets")
        }
        var dtype: DType?, shape: [Int]?, offsets: [Int]?
        for (key, field) in fields {
            switch key {
            case "dtype":
                guard case .string(let text) = field, let known = DType(rawValue: text) else {
                    throw SafeTensorsError(.unknownDType, "\"\(name)\" has dtype \(field.text), expected one of "
                                           + DType.allCases.map(\.rawValue).joined(separator: ", "))
                }
                dtype = known
            case "shape": shape = try integers(field, "\(name)\" shape", count: nil)
            case "data_offsets": offsets = try integers(field, "\(name)\" data_offsets", count: 2)
            default:
                throw SafeTensorsError(.badEntry, "\"\(name)\" has an unknown field \"\(key)\"")
            }
        }
        guard let dtype, let shape, let offsets else {
            throw SafeTensorsError(.badEntry, "\"\(name)\" needs dtype, shape and data_offsets")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
    }

    private static func integers(_ value: JSONValue, _ field: String, count: Int?) throws(SafeTensorsError) -> [Int] {
        let what = count.map { "\($0) non-negative integers" } ?? "a list of non-negative integers"
        guard case .array(let items) = value, count == nil || items.count == count else {
            throw SafeTensorsError(.badEntry, "\"\(field) must be \(what)")
        }
        var out: [Int] = []
        for item in items {
            guard case .number(let x) = item, x >= 0, x == x.rounded(), x < 9.0e15 else {
                throw SafeTensorsError(.badEntry, "\"\(field) must be \(what), found \(item.text)")
            }
            out.append(Int(x))
        }
        return out
    }
}

/// Why a safetensors file was refused. The caller adds the file's path.
public struct SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// One case per check `read` makes (the first seven as the reference's `Metadata::validate`
    /// and its loader; the others Descent's own stricter rules).
    public enum Rule: Equatable, Sendable {
        case headerTooSmall, headerTooLarge, headerPastEnd, headerNotUTF8, headerNotJSON
        case unknownDType, offsets, overflow, sizeMismatch, incompleteBuffer
        case headerStart, duplicateName, nonFinite, badEntry, badMetadata
        case unsupportedDType, missingTensor
    }

    public var rule: Rule
    public var reason: String
    public init(_ rule: Rule, _ reason: String) {
        self.rule = rule
        self.reason = reason
    }
    public var description: String { reason }
}
