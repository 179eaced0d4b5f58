import NeuralEngine

/// What the screen's panes (and `show`) draw beyond a run's record.
extension Session {
    /// The runs the loss chart and the contour show together: an optimizer race's racers, or
    /// the runs `compare RUN …` named; else the current run.
    public var shownRuns: [RunRecord] {
        runs.comparedIDs.isEmpty ? (currentRun.map { [$0] } ?? []) : runs.comparedIDs.map { records[$0 - 1] }
    }

    /// Whether the current run's model has exactly two trainable scalars (w and b), so that its
    /// loss surface can be drawn.
    public var hasLossSurface: Bool {
        guard let record = currentRun else { return false }
        return !record.path.points.isEmpty && LossSurface.applies(to: record.architecture)
    }

    /// J(w, b) around the shown runs' paths on the current data's training split; `cached` is
    /// returned again while it still holds every path point (computing costs a few thousand
    /// forward passes).
    public func lossSurface(reusing cached: LossSurface?) -> LossSurface? {
        guard hasLossSurface, let record = currentRun, let architecture = record.architecture, let data else { return nil }
        let points = shownRuns.flatMap(\.path.points).map { (w: Double($0.w), b: Double($0.b)) }
        if let cached, cached.holds(points) { return cached }
        return LossSurface.compute(architecture: architecture, loss: record.loss, regularizer: record.setup.regularizer,
                                   x: data.train.features, y: data.train.targets, around: points)
    }
}
