import Foundation

/// Whole files read for the loaders (CSV, IDX).
enum FileBytes {
    /// A whole file's bytes, refused before reading when it is larger than `limit`. Read with
    /// POSIX calls on one descriptor: its size comes from `fstat` of the file being read (not
    /// a name that may be replaced meanwhile), a file growing while it is read stops at the
    /// limit, and nothing leaks (Foundation's `FileManager.contents(atPath:)` leaked 4 KB per
    /// empty file under LeakSanitizer, `make asan`, Swift 6.3.1).
    static func read(_ path: String, limit: Int, what: String) throws(DatasetError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .badFile(path: path, location: "", expected: "a readable file", got: "no such file or no permission")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else {
            throw .badFile(path: path, location: "", expected: "a readable file", got: "a folder or an unreadable file")
        }
        func tooLarge(_ size: Int) -> DatasetError {
            .badFile(path: path, location: "",
                     expected: "a \(what) of at most \(limit >> 20) MB (\(limit.formatted(.number.grouping(.automatic))) bytes)",
                     got: "\(size.formatted(.number.grouping(.automatic))) bytes")
        }
        if Int(info.st_size) > limit { throw tooLarge(Int(info.st_size)) }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0))
        var filled = 0
        while true {
            if filled == bytes.count {
                guard bytes.count <= limit else { throw tooLarge(bytes.count) }
                bytes.append(contentsOf: repeatElement(0, count: Swift.min(Swift.max(bytes.count, 1 << 16), limit + 1 - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .badFile(path: path, location: "byte \(filled)", expected: "a readable file",
                               got: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }
}
