import Foundation

/// The screen's frame times (tick, render and draw of one frame, not the wait for keys), kept
/// when `DESCENT_FRAME_LOG=FILE` is set and written to FILE when the workbench ends, one frame
/// per line: the time it ended (Unix milliseconds) and its duration in microseconds. That is
/// how the load tests measure that the screen stays responsive while the server is hammered
/// (Tests/Serving/server-abuse.py). Off, it costs one nil check a frame.
struct FrameLog {
    private let path: String?
    private var frames: [(endedAt: UInt64, microseconds: UInt32)] = []
    private static let capacity = 1 << 20   // 9 hours at 30 frames a second

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        path = environment["DESCENT_FRAME_LOG"].flatMap { $0.isEmpty ? nil : $0 }
        if path != nil { frames.reserveCapacity(4096) }
    }

    var isOn: Bool { path != nil }

    mutating func record(since start: ContinuousClock.Instant) {
        guard path != nil, frames.count < Self.capacity else { return }
        let elapsed = ContinuousClock.now - start
        let us = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        frames.append((UInt64(Date().timeIntervalSince1970 * 1000), UInt32(clamping: us)))
    }

    func write() {
        guard let path else { return }
        let text = frames.map { "\($0.endedAt) \($0.microseconds)" }.joined(separator: "\n") + "\n"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
