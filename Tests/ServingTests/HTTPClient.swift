import Foundation

/// A plain HTTP/1.1 client over a blocking socket, one request per connection
/// (`Connection: close`): what the tests talk to the server with, so nothing of the server's
/// own stack is on both ends. Only 127.0.0.1 is ever a target.
struct HTTPClient {
    struct Reply {
        var status: Int
        var body: String
        /// The header lines, lower-cased (`allow: post`).
        var head: String = ""
        /// The body's bytes (a binary answer's JSON header and tensors).
        var bytes: [UInt8] = []
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    var port: Int

    init(address: String) {
        port = Int(address.split(separator: ":").last ?? "0") ?? 0
    }

    func get(_ path: String) throws -> Reply { try send("GET", path, body: nil) }
    func post(_ path: String, _ body: String) throws -> Reply { try send("POST", path, body: Array(body.utf8)) }

    /// A socket connected to the server, reads timing out after 30 s; the caller closes it.
    func connected() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect to port \(port): errno \(errno)")
        }
        return fd
    }

    func send(_ method: String, _ path: String, body: [UInt8]?, headers: [String] = []) throws -> Reply {
        let fd = try connected()
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        for header in headers { head += header + "\r\n" }
        let request = Array((head + "\r\n").utf8) + (body ?? [])
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }   // the server may answer (413) and close before reading it all
            sent += n
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            reply += chunk[0..<n]
        }
        let text = String(decoding: reply, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n"),
              let status = Int(text.split(separator: " ").dropFirst().first ?? "") else {
            throw Failure(description: "no HTTP reply (\(reply.count) bytes)")
        }
        var bodyText = String(text[headEnd.upperBound...])
        if text[..<headEnd.lowerBound].lowercased().contains("transfer-encoding: chunked") {
            bodyText = Self.unchunked(bodyText)
        }
        let headBytes = Array(text[..<headEnd.upperBound].utf8).count
        return Reply(status: status, body: bodyText, head: String(text[..<headEnd.lowerBound]).lowercased(),
                     bytes: Array(reply[headBytes...]))
    }

    /// A chunked body's data.
    static func unchunked(_ text: String) -> String {
        var out = "", rest = Substring(text)
        while let line = rest.range(of: "\r\n"), let size = Int(rest[..<line.lowerBound], radix: 16), size > 0 {
            let start = line.upperBound
            let bytes = Array(rest[start...].utf8)
            out += String(decoding: bytes.prefix(size), as: UTF8.self)
            rest = Substring(String(decoding: bytes.dropFirst(size + 2), as: UTF8.self))
        }
        return out
    }
}
