import Foundation
import Models

/// The class's TCP port: accepts connections (loopback by default), refuses what the
/// `ConnectionLimiter` refuses, and hands each other connection to its own `sshd -i`, whose
/// standard input and output are the socket. Stops on `stop()` (a signal's handler calls it),
/// hanging up every connection's sshd, which ends each learner's workbench as a dropped
/// connection does.
public final class ClassListener: @unchecked Sendable {
    public let gate: SSHGate
    public var sshd = "/usr/sbin/sshd"
    private var limiter: ConnectionLimiter
    private var socket: Int32 = -1
    private var children: [pid_t] = []
    private let stopping = ManagedStop()
    /// The address and port listened on, as `host:port` (`[::1]:port` for IPv6).
    public private(set) var address = ""
    /// Connections handed to sshd and connections refused so far.
    public private(set) var accepted = 0
    public private(set) var refused = 0
    /// Called once `stop()` is seen, before the connections are hung up.
    public var beforeHangingUp: (() -> Void)?

    public init(gate: SSHGate, limiter: ConnectionLimiter) {
        self.gate = gate
        self.limiter = limiter
    }

    /// Binds `host:port` (port 0 picks a free one).
    public func bind(host: String, port: Int) throws(DescentError) {
        guard FileManager.default.isExecutableFile(atPath: sshd) else {
            throw DescentError("\(sshd): OpenSSH's server is not installed (Debian's openssh-server; `make deps` installs it)")
        }
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &found)
        guard status == 0, let info = found else {
            throw DescentError("--listen \(host):\(port): not a numeric address (\(String(cString: gai_strerror(status))))")
        }
        defer { freeaddrinfo(found) }
        let fd = Glibc.socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw DescentError("--listen: no socket (\(String(cString: strerror(errno))))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0, listen(fd, 64) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw DescentError("--listen \(host):\(port): \(why)")
        }
        socket = fd
        var bound = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) } }
        let (boundHost, boundPort) = Self.describe(bound)
        address = boundHost.contains(":") ? "[\(boundHost)]:\(boundPort)" : "\(boundHost):\(boundPort)"
    }

    /// Accepts until `stop()`; `log` receives one line per connection and per refusal.
    public func serve(log: (String) -> Void) {
        while !stopping.isSet {
            reap()
            var ready = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 200) > 0 else { continue }
            var peer = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let connection = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(socket, $0, &length) }
            }
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let (peerHost, peerPort) = Self.describe(peer)
            if let why = limiter.refusal(for: peerHost, at: Date().timeIntervalSince1970, open: children.count) {
                refused += 1
                close(connection)
                log("refused \(peerHost):\(peerPort): \(why)")
                continue
            }
            do {
                try gate.write()   // the roster as it is now: a learner added a minute ago can log in
                children.append(try spawnSSHD(on: connection))
                accepted += 1
                log("connection from \(peerHost):\(peerPort)")
            } catch {
                log("connection from \(peerHost):\(peerPort) not served: \(error.description)")
            }
            close(connection)
        }
        close(socket)
        beforeHangingUp?()
        reap()
        for child in children { kill(child, SIGTERM) }
        let deadline = Date().addingTimeInterval(5)
        while !children.isEmpty, Date() < deadline {
            reap()
            if !children.isEmpty { usleep(50_000) }
        }
        for child in children { kill(child, SIGKILL) }
        reap()
    }

    /// Connections open now (sshd processes not yet ended).
    public var openConnections: Int { children.count }

    public func stop() { stopping.set() }

    private func spawnSSHD(on connection: Int32) throws(DescentError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, connection, 0)
        posix_spawn_file_actions_adddup2(&actions, connection, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [sshd, "-i", "-f", gate.configPath, "-E", gate.sshdLogPath]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // sshd gives each session its own environment; this one only reaches sshd itself.
        var envp: [UnsafeMutablePointer<CChar>?] = [strdup("PATH=/usr/bin:/bin:/usr/sbin:/sbin"), nil]
        defer { envp.forEach { free($0) } }
        // Its own session (Ctrl-C at the teacher's terminal reaches this process, which ends the
        // workbenches first, not every sshd at once), default signal handling (this process
        // ignores SIGINT and SIGTERM) and no blocked signals.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        let setsid: Int32 = 0x80   // glibc's POSIX_SPAWN_SETSID (a GNU extension Swift does not import)
        posix_spawnattr_setflags(&attributes, Int16(setsid | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        var defaults = sigset_t(), none = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        var pid = pid_t()
        let status = posix_spawn(&pid, sshd, &actions, &attributes, &argv, &envp)
        guard status == 0 else { throw DescentError("\(sshd) could not start: \(String(cString: strerror(status)))") }
        return pid
    }

    private func reap() {
        children.removeAll { pid in
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            return result == pid || (result < 0 && errno == ECHILD)
        }
    }

    /// A socket address as (numeric host, port).
    static func describe(_ storage: sockaddr_storage) -> (String, Int) {
        var storage = storage
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let length = socklen_t(storage.ss_family == sa_family_t(AF_INET6) ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        func text(_ chars: [CChar]) -> String { String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return (text(host), Int(text(service)) ?? 0)
    }
}

/// A flag set once from any thread (a signal source's handler) and read by the accept loop.
final class ManagedStop: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
