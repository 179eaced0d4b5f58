import Foundation
import Synchronization

/// A flag one thread raises and another polls.
final class Flag: Sendable {
    private let raised = Atomic<Bool>(false)

    func raise() { raised.store(true, ordering: .releasing) }
    var isRaised: Bool { raised.load(ordering: .acquiring) }
}

/// How many events the two-thread tests send: 2,000,000, or `EVENTRING_STRESS_EVENTS=N` for a
/// longer soak. Even under ThreadSanitizer the default run takes a few seconds, so it is not
/// scaled down there.
enum StressScale {
    static var events: Int {
        if let text = ProcessInfo.processInfo.environment["EVENTRING_STRESS_EVENTS"],
           let n = Int(text), n > 0 {
            return n
        }
        return 2_000_000
    }
}
