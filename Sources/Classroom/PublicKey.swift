import Foundation
import Models

/// An OpenSSH public key line, `KEY-TYPE BASE64 [comment]`, checked: a known type, base64 that
/// decodes to an SSH key blob (RFC 4253 §6.6) whose first string is that type.
public struct PublicKey: Sendable, Equatable {
    public static let types = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"]

    public let type: String
    public let blob: [UInt8]
    public let comment: String

    public init(_ line: String) throws(DescentError) {
        let parts = line.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count >= 2 else { throw DescentError("expected an OpenSSH public key: KEY-TYPE BASE64 [comment]") }
        guard Self.types.contains(parts[0]) else {
            throw DescentError("key type \(parts[0]): expected one of \(Self.types.joined(separator: ", "))")
        }
        guard let data = Data(base64Encoded: parts[1]), data.count >= 4 else { throw DescentError("the key is not base64") }
        let bytes = [UInt8](data)
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard length <= bytes.count - 4, String(decoding: bytes[4..<(4 + length)], as: UTF8.self) == parts[0] else {
            throw DescentError("the key's data is not a \(parts[0]) key")
        }
        if parts[0] == "ssh-ed25519", bytes.count != 4 + length + 4 + 32 {
            throw DescentError("an ssh-ed25519 key holds 32 bytes; this one does not")
        }
        type = parts[0]
        blob = bytes
        comment = parts.count > 2 ? parts[2] : ""
    }

    /// The line as the roster keeps it.
    public var line: String { "\(type) \(Data(blob).base64EncodedString())" + (comment.isEmpty ? "" : " \(comment)") }
}
