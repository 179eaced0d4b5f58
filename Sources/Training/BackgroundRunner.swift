import Foundation

/// Drives a `TrainingRun` on its own thread: a thin loop around `advance()`.
///
/// The thread sleeps while the run is paused or waiting for its pace, so an idle run costs
/// almost nothing. `join()` waits until the run is stopped or finished.
public final class BackgroundRunner: @unchecked Sendable {
    public let run: TrainingRun
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = false

    /// Starts the thread at once.
    public init(run: TrainingRun) {
        self.run = run
        let thread = Thread { [self] in
            loop()
        }
        thread.name = "descent.trainer"
        thread.stackSize = 1 << 22
        thread.start()
    }

    private func loop() {
        while true {
            switch run.advance() {
            case .again: continue
            case .wait(let seconds): Thread.sleep(forTimeInterval: seconds)
            case .done:
                lock.withLock { finished = true }
                done.signal()
                return
            }
        }
    }

    /// True once the thread has returned (the run is stopped or finished).
    public var isFinished: Bool { lock.withLock { finished } }

    /// Blocks until the thread has returned. Afterwards the caller may use the run directly.
    public func join() {
        guard !isFinished else { return }
        done.wait()
        done.signal()
    }
}
