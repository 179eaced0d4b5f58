import Foundation

/// Writes files so that a reader sees either the old content or the new, never half of it:
/// the text goes to a temporary file in the same folder, is flushed, then renamed over the target.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws(SessionError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SessionError("\(path): the folder \(folder) does not exist")
        }
        let temporary = folder + "/.\(url.lastPathComponent).\(getpid()).tmp"
        guard let data = text.data(using: .utf8),
              FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw SessionError("\(path): cannot write in \(folder)")
        }
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 { fsync(fd); close(fd) }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SessionError("\(path): \(reason)")
        }
    }
}
