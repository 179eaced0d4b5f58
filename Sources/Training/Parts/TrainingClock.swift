/// A run's training time: seconds since it started on the injected clock, pauses not counted,
/// and the clock as last read (reading it every update cost as much as the step report).
struct TrainingClock {
    let read: @Sendable () -> Double
    /// When the run started, moved later by every pause.
    private var start: Double
    private var pausedSince: Double?
    /// The clock as last read by `tick`.
    private(set) var last: Double = 0

    init(_ read: @escaping @Sendable () -> Double, paused: Bool) {
        self.read = read
        start = read()
        if paused { pausedSince = start }
    }

    /// Reads the clock when `due` (every 16th update, epoch ends, paced runs); returns the
    /// time as last read.
    mutating func tick(_ due: Bool) -> Double {
        if due { last = read() }
        return last
    }

    mutating func pause() { pausedSince = read() }

    mutating func resume() {
        if let since = pausedSince { start += read() - since }
        pausedSince = nil
    }

    /// Seconds spent training by clock time `now` (paused time not counted).
    func seconds(at now: Double) -> Double { (pausedSince ?? now) - start }

    /// Seconds spent training until now.
    var seconds: Double { seconds(at: read()) }
}
