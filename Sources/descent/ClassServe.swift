import Foundation
import ArgumentParser
import Classroom
import WorkbenchCore
import NcursesBackend
import Models
import RunStore

/// `descent classroom CLASS [--listen ADDR:PORT] [--teacher]`: serves the class over SSH
/// (each learner's own workbench), or, with `--teacher`, opens the teacher's console.
struct ClassServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the class over SSH (the default), or open the teacher's console (--teacher).",
        discussion: "Learners connect with `ssh -p PORT USER@HOST` (USER: the one running the class) and get their "
            + "own workbench, confined to their folder. OpenSSH's sshd (Debian's openssh-server) does the SSH.")

    @Argument(help: "The class folder.") var folder: String
    @Option(help: "The address and port to listen on (loopback unless another address is given).") var listen = "127.0.0.1:2222"
    @Option(help: "Learner i (roster order, from 0) serves models on this port + i; only that one is forwarded to them.")
    var servePorts = 8100
    @Option(help: "Connections open at once, at most.") var maxConnections = 200
    @Option(help: "New connections from one address in a minute, at most.") var perAddress = 10
    @Flag(help: "Open the teacher's console instead (beside a running class).") var teacher = false
    @Flag(help: .hidden) var frameLogs = false

    func validate() throws {
        guard (1024...65_000).contains(servePorts) else { throw ValidationError("--serve-ports needs a port from 1024 to 65,000") }
        guard maxConnections >= 1, perAddress >= 1 else { throw ValidationError("--max-connections and --per-address need at least 1") }
        _ = try Self.split(listen)
    }

    /// `ADDR:PORT` or `[IPv6]:PORT`.
    static func split(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("--listen \(text): expected ADDRESS:PORT, e.g. 127.0.0.1:2222 or 0.0.0.0:2222")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }

    func run() throws {
        do {
            let classFolder = try ClassFolder.open(folder)
            if teacher { return try MainActor.assumeIsolated { try openConsole(classFolder) } }
            guard geteuid() != 0 else {
                throw DescentError("a class is not served as root: learners' workbenches run as the user that serves it. "
                                   + "Make one (adduser --disabled-password class) and serve as them")
            }
            guard let entry = getpwuid(geteuid()) else { throw DescentError("user \(geteuid()) has no entry in the system's users: sshd needs one") }
            let user = String(cString: entry.pointee.pw_name)
            let absolute = URL(fileURLWithPath: classFolder.path).standardizedFileURL.path
            var gate = SSHGate(classFolder: ClassFolder(path: absolute), executable: Self.executablePath, servePortBase: servePorts, user: user)
            if frameLogs { gate.sessionArguments = ["--frame-log"] }
            let fingerprint = try gate.prepare()
            try gate.write()
            let listener = ClassListener(gate: gate, limiter: ConnectionLimiter(perAddress: perAddress, total: maxConnections))
            let (host, port) = try Self.split(listen)
            try listener.bind(host: host, port: port)
            try AtomicFile.write(listener.address + "\n", to: gate.folder + "/listening")
            let learners = try gate.classFolder.learners()
            let hostName = ["127.0.0.1", "::1", "localhost"].contains(host) ? "localhost" : (host == "0.0.0.0" || host == "::" ? "THIS-MACHINE" : host)
            show("serving \(folder) to \(learners.count) learner\(learners.count == 1 ? "" : "s") on \(listener.address) (Ctrl-C stops)")
            show("learners connect with: ssh -p \(listener.address.split(separator: ":").last ?? "") \(user)@\(hostName)")
            show("host key: \(fingerprint)")
            show("the teacher's console: descent classroom \(folder) --teacher")
            let signals = ServeSignals.onStop { listener.stop() }
            // Stopping ends each workbench as `quit` does first (its terminal given back), then
            // hangs up the connections.
            listener.beforeHangingUp = {
                let live = ((try? gate.classFolder.learners()) ?? []).compactMap { ClassSession.livePID(classFolder: absolute, name: $0) }
                for pid in live { kill(pid, SIGTERM) }
                for _ in 0..<100 where live.contains(where: { kill($0, 0) == 0 }) { usleep(50_000) }
            }
            ClassLog.append(gate, "serving on \(listener.address)")
            listener.serve { line in ClassLog.append(gate, line) }
            signals.forEach { $0.cancel() }
            try? FileManager.default.removeItem(atPath: gate.folder + "/listening")
            ClassLog.append(gate, "stopped after \(listener.accepted) connection\(listener.accepted == 1 ? "" : "s")")
            show("stopped after \(listener.accepted) connection\(listener.accepted == 1 ? "" : "s")"
                 + " (\(listener.refused) refused by the rate limits; \(gate.sshdLogPath) lists the keys and requests sshd refused)")
        } catch let error as DescentError {
            throw fail("classroom", error)
        }
    }

    @MainActor
    private func openConsole(_ classFolder: ClassFolder) throws(DescentError) {
        if let reason = TerminalCheck.screenUnavailableReason() { throw DescentError("the teacher's console needs a terminal (\(reason))") }
        let messages = classFolder.path + "/.classroom/messages"
        do { try FileManager.default.createDirectory(atPath: messages, withIntermediateDirectories: true) } catch {
            throw DescentError("\(messages): cannot be made (\(error.localizedDescription))")
        }
        let console = TeacherConsole(classFolder: classFolder, messagesFolder: messages, lessonsFolder: ResourceFolders.find("Notebooks"))
        do { try TerminalLoop.run(console, historyPath: classFolder.path + "/.classroom/teacher_history") } catch {
            throw DescentError("the teacher's console: \(error)")
        }
    }

    /// A line on standard output now (a pipe is not left holding it).
    private func show(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    /// This executable, absolute (the forced command names it).
    static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

/// `descent classroom session CLASS NAME`: the forced command of each learner key. It refuses
/// a command (`ssh host ls`) and a session without a terminal, each logged; otherwise it opens
/// the learner's workbench confined to their folder, reading the handouts, with the class's
/// limits, their serve port, and their presence for the teacher's console.
struct ClassSession: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "session", abstract: "A learner's workbench over SSH (sshd runs it).",
                                                    shouldDisplay: false)

    @Argument var folder: String
    @Argument var name: String
    @Option var servePort: Int
    @Flag var frameLog = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let from = environment["SSH_CLIENT"].map { $0.split(separator: " ").prefix(2).joined(separator: ":") } ?? "local"
        let classFolder = ClassFolder(path: folder)
        let gate = SSHGate(classFolder: classFolder, executable: "", servePortBase: 0, user: "")
        if let asked = environment["SSH_ORIGINAL_COMMAND"], !asked.isEmpty {
            ClassLog.append(gate, "refused \(name) from \(from): a command (\(asked.prefix(80)))")
            FileHandle.standardError.write(Data(("descent classroom: this class gives each learner a workbench and runs no command "
                + "(\"\(asked.prefix(80))\" refused); connect with plain ssh, without a command\n").utf8))
            throw ExitCode(1)
        }
        // The locale the client sent (AcceptEnv) is kept only when it names one plainly (en_US.UTF-8,
        // C.UTF-8): glibc would read a locale from any path a learner names.
        for variable in ["LANG", "LC_ALL", "LC_CTYPE"] {
            if let value = environment[variable], !Self.isPlainLocale(value) { unsetenv(variable) }
        }
        guard isatty(0) == 1, isatty(1) == 1 else {
            ClassLog.append(gate, "refused \(name) from \(from): no terminal")
            FileHandle.standardError.write(Data("descent classroom: the workbench needs a terminal: connect with plain ssh (not -T, not -N with a command)\n".utf8))
            throw ExitCode(1)
        }
        let port = servePort
        // One workbench per learner: a second connection takes over, and the first ends as on
        // `quit` (history and runs kept), so two screens never write one learner's presence.
        var takeover = ""
        if let earlier = Self.livePID(classFolder: folder, name: name) {
            kill(earlier, SIGTERM)
            for _ in 0..<100 where kill(earlier, 0) == 0 { usleep(50_000) }
            ClassLog.append(gate, "\(name) from \(from): took over from their earlier workbench (process \(earlier))")
            takeover = " Your earlier session (process \(earlier)) ended: this one takes over."
        }
        do { try AtomicFile.write("\(getpid())\n", to: gate.sessionPIDPath(name)) } catch {
            FileHandle.standardError.write(Data("descent classroom: \(error)\n".utf8))
            throw ExitCode(1)
        }
        ClassLog.append(gate, "\(name) from \(from): workbench opened (process \(getpid()))")
        var confinement: Confinement
        let kernel: String
        let limits = Limits(idleMinutes: 60)
        do {
            (confinement, _, kernel) = try Confine.applyDescribed(folder: classFolder.learnerPath(name),
                                                                  readOnly: [classFolder.handoutPath, gate.messagesFolder], limits: limits)
        } catch {
            FileHandle.standardError.write(Data("descent classroom: \(error)\n".utf8))
            throw ExitCode(1)
        }
        confinement.servePort = port
        if frameLog { setenv("DESCENT_FRAME_LOG", confinement.folder + "/.descent/frames.log", 1) }
        let choice = StoreChoice(path: RunStore.defaultPath(), confinement: confinement,
                                 note: "\(name), welcome to the class.\(takeover) Your folder is \(confinement.folder): files "
                                    + "elsewhere are refused (\(kernel)); \(limits.memoryMiB) MiB of memory, a \(limits.quotaMiB) MiB "
                                    + "quota, \(limits.idleMinutes ?? 60) idle minutes. `serve` uses port \(port) (ssh -L \(port):127.0.0.1:\(port) "
                                    + "reaches it). " + Self.handouts(classFolder) + ".",
                                 idleMinutes: limits.idleMinutes)
        let folder = confinement.folder
        let status: Int32? = MainActor.assumeIsolated {
            ScreenFrontEnd.run(lesson: nil, themeName: nil, store: choice) { app in
                LearnerPresence(app: app, learner: name, folder: folder, messagesFolder: gate.messagesFolder)
            }
        }
        if status != 0 { throw ExitCode(1) }
    }
}

extension ClassSession {
    /// The process of `name`'s workbench in the class at `classFolder` if one is running: the
    /// one its session noted in `.classroom/sessions/` (no learner can write there), if that
    /// process is still exactly this learner's session command.
    static func livePID(classFolder: String, name: String) -> pid_t? {
        let gate = SSHGate(classFolder: ClassFolder(path: classFolder), executable: "", servePortBase: 0, user: "")
        guard let text = try? String(contentsOfFile: gate.sessionPIDPath(name), encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1, pid != getpid(),
              let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
        let words = command.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard words.count >= 5, words[1] == "classroom", words[2] == "session", words[3] == classFolder, words[4] == name else { return nil }
        return pid
    }

    /// `en_US.UTF-8`, `C.UTF-8`, `POSIX`: letters, `_`, then an optional `.CODESET` and `@modifier`.
    static func isPlainLocale(_ value: String) -> Bool {
        value.range(of: #"^[A-Za-z]+(_[A-Za-z]+)?(\.[A-Za-z0-9-]+)?(@[A-Za-z]+)?$"#, options: .regularExpression) != nil
    }

    /// What the first line says of the handouts: each one's path, to open with `lesson`.
    static func handouts(_ classFolder: ClassFolder) -> String {
        // The handouts folder (readable in the confinement; the teacher's copies are not).
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: classFolder.handoutPath)) ?? [])
            .filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
        guard !names.isEmpty else { return "No assignment is handed out yet" }
        return "Open an assignment with `lesson " + names.map { classFolder.handoutPath + "/" + $0 + ".md" }
            .joined(separator: "` or `lesson ") + "`"
    }
}

/// The class's log (`CLASS/.classroom/class.log`): one line per connection, refusal and
/// workbench opened, appended whole (`O_APPEND`) by the server and each session.
enum ClassLog {
    static func append(_ gate: SSHGate, _ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        // What a client sent (a command, an address) is logged with its control characters escaped.
        let line = line.unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        let fd = open(gate.logPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let bytes = Array("\(stamp) \(line)\n".utf8)
        _ = write(fd, bytes, bytes.count)
        close(fd)
    }
}
