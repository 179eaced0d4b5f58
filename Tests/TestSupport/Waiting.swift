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

/// `text` without the timings Descent marks by brackets: durations (`[0.42 s, 12.3k updates/s]`,
/// `[1.2 s]`, `[3.1 min, 40 updates/s: minutes; …]`) and the times `runs` lists (`[14:02]`,
/// `[Dec 5 14:02]`, `[2025-12-05]`): the only parts of a replay allowed to differ between two
/// runs (two replays a minute apart list their runs at other times).
public func withoutTimings(_ text: String) -> String {
    text.replacingOccurrences(of: "\\s*\\[[0-9.]+ (s|min)\\b[^\\]]*\\]", with: "", options: .regularExpression)
        .replacingOccurrences(of: "\\[([A-Z][a-z]{2} [0-9]{1,2} )?[0-9]{2}:[0-9]{2}\\]|\\[[0-9]{4}-[0-9]{2}-[0-9]{2}\\]", with: "[time]",
                              options: .regularExpression)
}
