import Foundation

/// Writes files so that a reader sees either the old content or the new, never half of it:
/// the bytes go to a temporary file in the same folder, are flushed to disk (fsync), then the
/// file is renamed over the target and the folder flushed. A full disk or a crash before the
/// rename leaves the old file as it was; the temporary file is removed on any error, and a
/// temporary file a killed process left behind is removed by the next write of the same file.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws(DescentError) {
        try write(Data(text.utf8), to: path)
    }

    public static func write(_ data: Data, to path: String) throws(DescentError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DescentError("\(path): the folder \(folder) does not exist")
        }
        removeAbandoned(in: folder, name: url.lastPathComponent)
        // Unique per call: two writers in one process (notebook replays in parallel) never share it.
        let temporary = folder + "/.\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        func failure(_ what: String) -> DescentError {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return DescentError("\(path): \(what): \(reason); the old file, if any, is unchanged")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot write in \(folder)") }
        var written = 0
        let ok = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 { if errno == EINTR { continue }; return false }
                written += n
            }
            return true
        }
        guard ok, fsync(fd) == 0 else {
            let error = failure("could not write all \(data.count) bytes")
            close(fd)
            throw error
        }
        guard close(fd) == 0 else { throw failure("could not close the file") }
        #if DEBUG
        // Tests/Files/files-test.sh kills the process here (kill -9 between write and rename).
        if ProcessInfo.processInfo.environment["DESCENT_TEST_PAUSE_BEFORE_RENAME"] != nil {
            FileHandle.standardError.write(Data("descent: paused before renaming \(temporary) to \(path)\n".utf8))
            sleep(60)
        }
        #endif
        guard rename(temporary, path) == 0 else { throw failure("could not replace the file") }
        let dir = open(folder, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// Removes `.NAME.PID.N.tmp` files in `folder` whose process is gone (killed mid-write).
    static func removeAbandoned(in folder: String, name: String) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        let prefix = ".\(name)."
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let parts = entry.dropFirst(prefix.count).split(separator: ".")
            guard parts.count == 3, let pid = pid_t(parts[0]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(folder + "/" + entry) }
        }
    }
}
