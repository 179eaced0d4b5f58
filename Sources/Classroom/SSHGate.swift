import Foundation
import Models

/// What OpenSSH's `sshd` needs to serve a class, written from the roster into `CLASS/.classroom/`:
/// a host key (made once, kept), `authorized_keys` with one line per learner key, and an
/// `sshd_config` that allows public keys only, one session per connection, no shell, no
/// command, no agent or X11 forwarding, no SFTP, no remote forwarding, and local forwarding
/// only to the learner's own `serve` port.
///
/// Why OpenSSH and not a server written here (docs/DESIGN.md, "The classroom"): `descent
/// classroom` listens and rate-limits itself, then hands each connection to `sshd -i` (inetd
/// mode, one process per connection), which does the key exchange, authentication, the
/// pseudo-terminal with the client's TERM and window size, resizes, and the refusals, as it
/// does on every Debian machine. Each learner key runs one forced command:
/// `descent classroom session CLASS NAME`, which refuses commands and sessions without a
/// terminal and opens that learner's confined workbench.
public struct SSHGate: Sendable {
    public let classFolder: ClassFolder
    /// The `descent` executable the forced command runs.
    public let executable: String
    /// The first learner's serve port; the others get the next ones (`ports()`).
    public let servePortBase: Int
    /// The system user learners log in as: the one running the class.
    public let user: String
    /// Extra arguments for each learner's session (a benchmark's frame log).
    public var sessionArguments: [String] = []

    public init(classFolder: ClassFolder, executable: String, servePortBase: Int, user: String) {
        self.classFolder = classFolder
        self.executable = executable
        self.servePortBase = servePortBase
        self.user = user
    }

    public var folder: String { classFolder.path + "/.classroom" }
    public var hostKeyPath: String { folder + "/host_ed25519" }
    public var authorizedKeysPath: String { folder + "/authorized_keys" }
    public var configPath: String { folder + "/sshd_config" }
    /// sshd's own log (refused keys, forwarding and subsystem requests), and the class's.
    public var sshdLogPath: String { folder + "/sshd.log" }
    public var logPath: String { folder + "/class.log" }
    /// Where the teacher's console leaves messages; learners' workbenches read it.
    public var messagesFolder: String { folder + "/messages" }

    /// Each learner's serve port, kept in `.classroom/ports` (`NAME PORT` lines): given once, in
    /// roster order from `servePortBase`, and never moved or given to another learner, so editing
    /// the roster during a class cannot hand one learner's port to another.
    public var portsPath: String { folder + "/ports" }

    /// Every learner's port, giving new learners the next free ones (written back when it changed).
    public func ports() throws(DescentError) -> [String: Int] {
        var ports: [String: Int] = [:]
        if let text = try? String(contentsOfFile: portsPath, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let port = Int(parts[1]) { ports[String(parts[0])] = port }
            }
        }
        var changed = false
        var next = max(servePortBase, (ports.values.max() ?? servePortBase - 1) + 1)
        for name in try classFolder.learners() where ports[name] == nil {
            guard next <= 65535 else { throw DescentError("\(name): no serve port left above \(servePortBase) (--serve-ports)") }
            ports[name] = next
            next += 1
            changed = true
        }
        if changed {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try AtomicFile.write(ports.sorted { $0.value < $1.value }.map { "\($0.key) \($0.value)\n" }.joined(), to: portsPath)
        }
        return ports
    }

    /// The port learner `name` serves on, if they are in the roster.
    public func servePort(of name: String) throws(DescentError) -> Int {
        guard try classFolder.learners().contains(name), let port = try ports()[name] else {
            throw DescentError("\(name): not in \(classFolder.rosterPath)")
        }
        return port
    }

    /// Where each learner's running workbench notes its process (`sessions/NAME.pid`): in
    /// `.classroom/`, which no learner's workbench can write.
    public func sessionPIDPath(_ name: String) -> String { folder + "/sessions/" + name + ".pid" }

    /// Makes `.classroom/` (private to the class's user) and its host key if missing; returns
    /// the key's fingerprint line as `ssh-keygen -l` prints it.
    public func prepare(sshKeygen: String = "/usr/bin/ssh-keygen") throws(DescentError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: messagesFolder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: folder + "/sessions", withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: folder)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: messagesFolder)
        } catch {
            throw DescentError("\(folder): cannot be made (\(error.localizedDescription)); the class folder must belong to the user "
                               + "serving it: make it as that user (descent classroom init), or give it to them (chown -R USER \(classFolder.path))")
        }
        if !FileManager.default.fileExists(atPath: hostKeyPath) {
            let made = Self.run(sshKeygen, ["-q", "-t", "ed25519", "-N", "", "-C", "descent classroom", "-f", hostKeyPath])
            guard made.status == 0 else { throw DescentError("\(hostKeyPath): ssh-keygen could not make the host key: \(made.output)") }
        }
        let printed = Self.run(sshKeygen, ["-l", "-f", hostKeyPath + ".pub"])
        guard printed.status == 0 else { throw DescentError("\(hostKeyPath).pub: ssh-keygen cannot read it: \(printed.output)") }
        return printed.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Writes `authorized_keys` from the roster and `sshd_config`, each atomically (a
    /// connection arriving meanwhile reads the old or the new file, never half of one).
    public func write() throws(DescentError) {
        // sshd's settings split at spaces and expand % (AuthorizedKeysFile): such a path would
        // make every login fail, so it is refused here, by name.
        for path in [classFolder.path, executable] where path.contains(where: { "\"%#".contains($0) || $0.isWhitespace }) {
            throw DescentError("\(path): a path with a space, \", % or # cannot go into sshd's settings; move the class or Descent to a plain path")
        }
        try AtomicFile.write(try authorizedKeys(), to: authorizedKeysPath)
        try AtomicFile.write(config(), to: configPath)
        chmod(authorizedKeysPath, 0o600)
    }

    /// One line per roster key: the forced command, a terminal, and local forwarding to the
    /// learner's own serve port only (`restrict` turns everything else off).
    public func authorizedKeys() throws(DescentError) -> String {
        let ports = try ports()
        var lines = ["# Written by `descent classroom` from learners.txt at every connection: edit the roster, not this."]
        for (name, key) in try classFolder.roster() {
            guard let port = ports[name] else { continue }
            let command = ([executable, "classroom", "session", classFolder.path, name, "--serve-port", String(port)] + sessionArguments).map(Self.shellQuoted).joined(separator: " ")
            lines.append("restrict,pty,port-forwarding,permitopen=\"127.0.0.1:\(port)\",permitopen=\"localhost:\(port)\","
                         + "command=\"\(command)\" \(key.line)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// sshd's settings for a class: everything not named here is OpenSSH's default.
    public func config() -> String {
        """
        # Written by `descent classroom` at every start: edits are replaced.
        HostKey \(hostKeyPath)
        AuthorizedKeysFile \(authorizedKeysPath)
        AuthenticationMethods publickey
        PubkeyAuthentication yes
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        HostbasedAuthentication no
        UsePAM no
        PermitRootLogin no
        AllowUsers \(user)
        # authorized_keys is written by descent with mode 600; the class folder may sit anywhere.
        StrictModes no
        MaxAuthTries 3
        MaxSessions 1
        LoginGraceTime 20
        ClientAliveInterval 15
        ClientAliveCountMax 4
        AllowAgentForwarding no
        AllowTcpForwarding local
        AllowStreamLocalForwarding no
        X11Forwarding no
        PermitTunnel no
        GatewayPorts no
        PermitListen none
        PermitUserEnvironment no
        PermitUserRC no
        PrintMotd no
        PrintLastLog no
        UseDNS no
        # The client's locale (Debian's ssh sends LANG and LC_*): a UTF-8 terminal gets Unicode charts.
        AcceptEnv LANG LC_ALL LC_CTYPE
        LogLevel VERBOSE
        PidFile none
        # No Subsystem line: sftp and every other subsystem are refused.

        """
    }

    /// `text` as one word for `sh -c`.
    public static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Runs a program to its end; its status and what it printed (both streams).
    static func run(_ program: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(program): \(error.localizedDescription)") }
        let data = (try? pipe.fileHandleForReading.readToEnd()) ?? Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
