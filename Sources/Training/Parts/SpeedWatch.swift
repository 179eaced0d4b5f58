/// Times a run's first updates and estimates how long the whole run takes: the cost line's
/// estimate. It is measured on the run itself, so it costs no extra work and includes what the
/// run really does beside the engine (its pace, a screen drawing beside it); it used to time a
/// copy of the model before the run, which cost 19 % of a short GPT run and missed the screen.
///
///     seconds ≈ elapsed + s · (1 + share) · (updates left) + s · f · (validations left) · (validation rows / batch rows)
///
/// with s the median time of one update in the second half of the first `after` updates (the
/// first half warms up: buffers are made, caches and clocks settle; the first ten updates of
/// gpt-nano took 8.3 ms each here, the rest 6.5 ms), `share` the most snapshots may take
/// (`SnapshotSchedule.share`: the median leaves out the rare update that made one, or took a
/// rung of the loss ladder), and f the time of a forward pass beside an update's, per sample
/// (`EvaluationSample.forwardShare`).
public struct SpeedWatch {
    /// The run's update (counted from its start) at which the estimate is made.
    let after: Int
    private var previous: Double?
    private var durations: [Double] = []

    init(after: Int) {
        self.after = max(4, after)
        durations.reserveCapacity(self.after - self.after / 2)
    }

    /// The update at which the estimate is made, from counts alone (so whether and where its
    /// line appears never depends on timing): enough updates to last about half a second on a
    /// nominal machine (`nominalSeconds` per update) and at least 1 % of the run, but never more
    /// than 5 % of it or than the updates before its first epoch line (`beforeFirstLine`), so the
    /// estimate comes before that line (and at least 4). (Capped at one epoch, a run of many tiny
    /// epochs timed its first 20 updates, still warming up: W3's estimate came out 1.8x.)
    public static func update(forRunOf updates: Int, beforeFirstLine: Int, nominalSeconds: Double) -> Int {
        let timed = Int((0.5 / max(nominalSeconds, 1e-9)).rounded(.up))
        return max(4, min(updates / 20, beforeFirstLine, max(timed, updates / 100)))
    }

    /// Takes the run's `update`-th update (from its start), done at training time `seconds`;
    /// returns the median seconds of one update once `after` updates are done.
    mutating func observe(update: Int, seconds: Double) -> Double? {
        if update > after / 2, let previous { durations.append(seconds - previous) }
        previous = seconds
        guard update >= after, !durations.isEmpty else { return nil }
        durations.sort()
        let middle = durations.count / 2
        return durations.count % 2 == 1 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2
    }

    /// The whole run's estimated training seconds, `elapsed` in, with `updatesLeft` updates at
    /// `perUpdate` seconds each and `validationsLeft` validation passes of `validationBatches`
    /// forward passes each.
    static func total(elapsed: Double, perUpdate: Double, updatesLeft: Int, validationsLeft: Int,
                      validationBatches: Double) -> Double {
        elapsed + perUpdate * ((1 + SnapshotSchedule.share) * Double(updatesLeft)
                               + EvaluationSample.forwardShare * Double(validationsLeft) * validationBatches)
    }
}
