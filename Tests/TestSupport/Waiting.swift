import Foundation

/// The repository's root folder (this file is Tests/TestSupport/Waiting.swift).
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Calls `step` until it returns true or `seconds` have passed, sleeping `interval` between
/// calls; returns whether it became true. Every test that waits on a run waits through this, so
/// a run that never ends fails the test with a message instead of hanging the suite.
@discardableResult
public func waitUntil(seconds: Double = 120, interval: Double = 0.002, _ step: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !step() {
        if Date() > deadline { return false }
        Thread.sleep(forTimeInterval: interval)
    }
    return true
}

/// The longest a test waits for a script or a run to finish before it fails (seconds): far above
/// what any test's training takes, even in a debug build on a busy machine.
public let testTimeout: Double = 300

/// `text` without the timings Descent marks by brackets that begin with a duration
/// (`[0.42 s, 12.3k updates/s]`, `[1.2 s]`, `[3.1 min, 40 updates/s: minutes; …]`): the only part
/// of a replay allowed to differ between two runs.
public func withoutTimings(_ text: String) -> String {
    text.replacingOccurrences(of: "\\s*\\[[0-9.]+ (s|min)\\b[^\\]]*\\]", with: "", options: .regularExpression)
}
