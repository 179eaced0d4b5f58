import Foundation

/// Rate limits for a class's SSH port: at most `perAddress` new connections from one address in
/// any `window`, and at most `total` connections open at once. Each connection may try at most
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
        var times = (recent[address] ?? []).filter { now - $0 < window }
        defer { recent[address] = times }
        guard times.count < perAddress else {
            return "more than \(perAddress) connections from \(address) in \(Int(window)) s"
        }
        times.append(now)
        if recent.count > 10_000 { recent = recent.filter { $0.value.contains { now - $0 < window } } }
        return nil
    }
}
