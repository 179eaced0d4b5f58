import Foundation

/// The key a server listening beyond loopback asks for (`Authorization: Bearer KEY`): made once
/// per server from the system's random source, shown once by whoever started it, and compared
/// in time that does not depend on where a wrong key first differs.
struct APIKey: Sendable {
    let value: String

    /// 32 random bytes as hex (`SystemRandomNumberGenerator` reads the kernel's getrandom).
    static func make() -> APIKey {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return APIKey(value: bytes.map { String(format: "%02x", $0) }.joined())
    }

    /// Whether loopback is all `host` reaches (no key is needed there).
    static func isLoopback(_ host: String) -> Bool { ["127.0.0.1", "localhost", "::1"].contains(host) }

    /// Whether an `Authorization` header value carries this key.
    func admits(_ authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        return Self.same(Array(authorization.dropFirst("Bearer ".count).utf8), Array(value.utf8))
    }

    /// Equal bytes, compared over the whole of the longer one whatever they hold.
    static func same(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
