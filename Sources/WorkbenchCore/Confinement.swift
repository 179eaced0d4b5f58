import Foundation
import Models

/// A learner's workbench in a class: every file a command names must be inside the learner's
/// folder (to read and write) or one of the class's read-only folders (the lessons, to read).
/// A path is judged as the kernel would open it: symbolic links and `..` resolved in order, so
/// `data csv link.csv` with `link.csv → /etc/passwd` is as outside as `/etc/passwd` itself.
/// (Where the kernel offers Landlock, `descent --confine` also has it refuse the same; this is
/// the check that names the file and says why.)
public struct Confinement: Sendable, Equatable {
    /// The learner's folder, resolved.
    public let folder: String
    /// Folders to read only, resolved.
    public let readOnly: [String]
    /// What the learner's folder may hold, in bytes; a write is refused once it holds as much.
    public var quota: Int?
    /// The one port `serve` may listen on, on loopback (a class's SSH server forwards only this
    /// one to the learner: `ssh -L PORT:127.0.0.1:PORT`); nil: any.
    public var servePort: Int?

    /// `serve`'s host and port: those given, unless a serve port is set, which then is the only one.
    public func serveAddress(host: String?, port: Int?, default defaultPort: Int) throws(DescentError) -> (host: String, port: Int) {
        guard let servePort else { return (host ?? "127.0.0.1", port ?? defaultPort) }
        if let host, !["127.0.0.1", "localhost"].contains(host) {
            throw DescentError("serve host=\(host): in this class your models are served on 127.0.0.1 only "
                               + "(from your machine: ssh -L \(servePort):127.0.0.1:\(servePort) …)")
        }
        if let port, port != servePort {
            throw DescentError("serve port=\(port): in this class your port is \(servePort) (from your machine: "
                               + "ssh -L \(servePort):127.0.0.1:\(servePort) …, then http://127.0.0.1:\(servePort))")
        }
        return ("127.0.0.1", servePort)
    }

    /// `folder` must exist; read-only folders that do not are left out.
    public init(folder: String, readOnly: [String] = []) throws(DescentError) {
        guard let real = Self.realPath(folder), Self.isDirectory(real) else {
            throw DescentError("\(folder): no such folder to confine the workbench to")
        }
        guard real != "/" else { throw DescentError("\(folder): the whole file system is not a learner's folder") }
        let readable = readOnly.compactMap(Self.realPath)
        // A read-only folder around the learner's own would open the folders beside it (other learners').
        if let wide = zip(readOnly, readable).first(where: { real != $0.1 && Self.isInside(real, $0.1) }) {
            throw DescentError("--read-only \(wide.0): it holds the learner's folder \(real) and the folders beside it")
        }
        self.folder = real
        self.readOnly = readable
    }

    /// Checks `given` (relative to the current folder) for reading or writing; returns it as
    /// given, or throws naming it and saying what is allowed.
    public func check(_ given: String, writing: Bool) throws(DescentError) {
        guard !given.hasPrefix("~") else {
            throw DescentError("\(given): ~ is not your folder here: name files inside \(folder)")
        }
        guard let real = Self.resolved(given) else {
            throw DescentError("\(given): names a folder that does not exist (`..` after it cannot be followed)")
        }
        if Self.isInside(real, folder) {
            if writing, let quota {
                let used = Self.bytes(in: folder)
                guard used < quota else {
                    throw DescentError("\(given): your folder holds \(used >> 20) MiB, its whole quota (\(quota >> 20) MiB): "
                                       + "delete files, or kept runs (`runs delete @N`), to write more")
                }
            }
            return
        }
        if readOnly.contains(where: { Self.isInside(real, $0) }) {
            guard writing else { return }
            throw DescentError("\(given): read-only here: write inside your folder \(folder)")
        }
        throw DescentError("\(given): outside your folder: in this class a workbench uses only files in \(folder)"
                           + (readOnly.isEmpty ? "" : " (and reads the lessons)"))
    }

    /// The bytes of the files under `folder` (links not followed).
    static func bytes(in folder: String) -> Int {
        guard let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: folder),
                                                          includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else { return 0 }
        var total = 0
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
            total += values.fileSize ?? 0
        }
        return total
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder == "/" ? "/" : folder + "/")
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `path` as the kernel would reach it: the longest prefix that exists resolved by
    /// `realpath` (links and `..` in order), then the components that do not exist yet (a file
    /// about to be written); nil when one of those is `..`.
    static func resolved(_ path: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var missing: [String] = []
        while true {
            let prefix = "/" + components.joined(separator: "/")
            if let real = realPath(prefix) {
                guard !missing.contains("..") else { return nil }
                let rest = missing.filter { $0 != "." }
                return rest.isEmpty ? real : (real == "/" ? "" : real) + "/" + rest.joined(separator: "/")
            }
            guard let last = components.popLast() else { return nil }
            missing.insert(last, at: 0)
        }
    }
}

extension Workbench {
    /// Checks a file a command names when the workbench is confined (`FrontEndSettings.confinement`).
    func checkConfined(_ path: String, writing: Bool) throws(DescentError) {
        try frontEnd.confinement?.check(path, writing: writing)
    }
}
