import Foundation

/// Rate limits for a class's SSH port: at most `perAddress` new connections from one address in
/// any `window`, and at most `total` connections open at once. An IPv6 address counts as its
/// /64 network, the block one host or home is given (RFC 6177), so a client cannot escape the
/// limit by moving through the 2⁶⁴ addresses it holds; an IPv4-mapped one as its IPv4 address. Each connection may try at most
/// three keys (sshd's `MaxAuthTries 3`), so this also bounds the keys one address may try.
/// A refused connection is closed before sshd sees it, without a word (nothing to learn from).
public struct ConnectionLimiter: Sendable {
    public var perAddress: Int
    public var window: Double
    public var total: Int
    private var recent: [String: [Double]] = [:]

    public init(perAddress: Int = 10, window: Double = 60, total: Int = 200) {
        self.perAddress = perAddress
        self.window = window
        self.total = total
    }

    /// Whether a connection from `address` at time `now` (seconds) may go on, with `open`
    /// connections already open; nil when it may, else why not (for the class's log).
    public mutating func refusal(for address: String, at now: Double, open: Int) -> String? {
        if open >= total { return "\(open) connections are open, the most this class takes (--max-connections)" }
        let source = Self.source(of: address)
        var times = (recent[source] ?? []).filter { now - $0 < window }
        defer { recent[source] = times }
        guard times.count < perAddress else {
            return "more than \(perAddress) connections from \(source) in \(Int(window)) s"
        }
        times.append(now)
        if recent.count > 10_000 { recent = recent.filter { $0.value.contains { now - $0 < window } } }
        return nil
    }

    /// What the limit counts `address` as: an IPv6 address's /64 network (`2001:db8:1:2::/64`),
    /// an IPv4-mapped address's IPv4 address, anything else as given.
    public static func source(of address: String) -> String {
        var bytes = in6_addr()
        guard address.contains(":"), inet_pton(AF_INET6, address, &bytes) == 1 else { return address }
        let b = withUnsafeBytes(of: bytes) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff {
            return b[12...].map(String.init).joined(separator: ".")
        }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(b[$0]) << 8 | UInt16(b[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }
}
