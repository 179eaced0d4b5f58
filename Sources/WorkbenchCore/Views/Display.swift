import NeuralEngine
import Training
import Models

/// What a front end shows of a session, read from it: the set-up and data, the runs' records,
/// the current run's latest snapshot, the views' state, and what the panes derive from them
/// (the runs overlaid, the loss surface, the unit and attention in view). Reading changes
/// nothing the learner made; only the one front-end thread may read (snapshot slots have one
/// reader).
public struct Display {
    let bench: Workbench
    let models: ModelCommands

    // MARK: - The session

    public var data: DataState? { bench.data }
    public var setup: Setup { bench.setup }
    /// The model the next `train` would build, as `model` described it.
    public var modelSpec: ModelSpec? { bench.setup.model }
    public var views: ViewState { bench.views }
    /// The samples the data pane shows (`show misclassified`) while the run that picked them is
    /// current; after another run they would be that run's mistakes, and are not shown.
    public var selection: SampleSelection? {
        guard let selection = bench.views.selection else { return nil }
        return selection.run == nil || selection.run == currentRun?.id ? selection : nil
    }
    /// Every run's record, in order.
    public var records: [RunRecord] { bench.records }
    /// The run commands and panes act on: the last one of the current set-up, nil after the
    /// set-up changed (its record stays in `records`).
    public var currentRun: RunRecord? { bench.currentRecord }
    /// True while a background run's thread is alive (training or paused), and while an
    /// experiment (`cv`) has runs left to train.
    public var isBusy: Bool { bench.runs.isBusy }
    /// True while the current run is one `step` made that no thread drives yet (Ctrl-C and
    /// `stop` end it).
    public var hasSteppedRun: Bool { bench.runs.hasSteppedRun }
    /// The server's address and how many requests it answered, for the status line.
    public var serveStatus: (address: String, requests: Int)? { models.serveStatus }

    // MARK: - The current run

    /// The next run before its first update, while no run is current (`Preview`).
    public var preview: Preview? { bench.preview }

    /// The run the views draw: the current one, else the next one before its first update.
    public var shownRun: RunRecord? { currentRun ?? preview?.record }

    /// The current run's latest snapshot (layer summary, validation, probe outputs), the rewound
    /// epoch's, or with no run the next run's starting weights'.
    public var latestSnapshot: RunSnapshot? {
        if let rewound = bench.views.rewound, rewound.run == bench.runs.currentID { return rewound.snapshot }
        return bench.runs.snapshot() ?? preview?.snapshot
    }

    /// The latest summary: the current run's model (its snapshot while a thread drives it),
    /// else the model the next run would start from.
    public func currentSummary() throws(DescentError) -> ModelSummary {
        if let run = bench.runs.current {
            if run.isDriven, let snapshot = latestSnapshot { return snapshot.summary }
            if !run.isDriven { return ModelSummary(run.trainer.model) }
        } else if currentRun != nil, let snapshot = latestSnapshot {
            return snapshot.summary   // a record with no model of its own (cv's pooled results)
        }
        guard bench.data != nil else { throw DescentError("no data yet: try `data spiral`") }
        return ModelSummary(try bench.previewModel())
    }

    /// The current run's latest validation evaluation: its snapshot while it trains, its final
    /// one once it ended, else computed now.
    public func currentValidation() -> Evaluation? {
        guard let record = currentRun else { return nil }
        switch bench.runs.currentPhase {
        case nil, .ended?: return record.validationEvaluation
        case .driven?: return latestSnapshot?.validation
        case .ready?, .stepped?:
            let run = bench.runs.current!
            return run.trainer.evaluate(x: run.data.validation.features, y: run.data.validation.targets)
        }
    }

    /// The kept epochs of the current run (for stepping through them with keys).
    public var keptEpochs: [Int] {
        guard let run = bench.runs.current, !run.isDriven else { return [] }
        return run.checkpoints?.checkpoints.map(\.epoch) ?? []
    }

    // MARK: - Runs together, and the loss surface

    /// The runs the loss chart and the contour show together: an optimizer race's racers, or
    /// the runs `compare RUN …` named, while the run then current stays current; else the
    /// current run.
    public var shownRuns: [RunRecord] {
        if let overlay = bench.views.overlay, overlay.whileCurrent == bench.runs.currentID {
            return overlay.runs.map { records[$0 - 1] } + (overlay.kept ?? [])
        }
        return shownRun.map { [$0] } ?? []
    }

    /// Whether the current run's model has exactly two trainable scalars (w and b), so that its
    /// loss surface can be drawn.
    public var hasLossSurface: Bool {
        guard let record = shownRun else { return false }
        return !record.path.points.isEmpty && LossSurface.applies(to: record.architecture)
    }

    /// J(w, b) around the shown runs' paths on the current data's training split; `cached` is
    /// returned again while it still holds every path point (computing costs a few thousand
    /// forward passes).
    public func lossSurface(reusing cached: LossSurface?) -> LossSurface? {
        guard hasLossSurface, let record = shownRun, let architecture = record.architecture, let data = bench.data else { return nil }
        let points = shownRuns.flatMap(Self.framedPoints).map { (w: Double($0.w), b: Double($0.b)) }
        if let cached, cached.holds(points), !cached.dwarfs(points) { return cached }
        return LossSurface.compute(architecture: architecture, loss: record.loss, regularizer: record.setup.regularizer,
                                   x: data.train.features, y: data.train.targets, around: points)
    }

    /// The points of a run's path the contour's window is made to hold: all of them except a
    /// divergence's blow-up (after the weights that came back, up to the update it was caught
    /// at), which would flatten every other path into one cell; it is drawn as far as the
    /// window reaches.
    static func framedPoints(_ run: RunRecord) -> [ParameterPath.Point] {
        guard let back = run.cameBack else { return run.path.points }
        return run.path.points.filter { $0.update <= back.update || $0.update >= back.caughtAt }
    }

    // MARK: - One unit, attention

    /// The watched unit's activations for the panes: from the rewound epoch or the latest snapshot.
    public var unitActivations: UnitActivations? {
        guard let view = bench.views.unit, let unit = latestSnapshot?.unit,
              unit.layer == view.layer, unit.unit == view.unit else { return nil }
        return unit
    }

    /// The layer label of the watched unit, e.g. "Dense 2→8 tanh", for titles and legends.
    public var unitLabel: String? {
        guard let view = bench.views.unit, let summary = latestSnapshot?.summary, view.layer < summary.rows.count else { return nil }
        return summary.rows[view.layer].label
    }

    /// The attention maps for the panes: from the rewound epoch or the latest snapshot, when
    /// they are of the sample asked for.
    public var attentionMaps: AttentionMaps? {
        if let served = bench.views.attention.served { return served.maps }
        guard let maps = latestSnapshot?.attention, maps.sample == bench.views.attention.sample else { return nil }
        return maps
    }

    /// What the maps are of, for captions: `#3` (a validation sample) or the served text.
    public func attentionSource(_ maps: AttentionMaps) -> String {
        guard let served = bench.views.attention.served else { return SamplePreview.number(maps.sample) }
        return "served by \(served.model): \(served.text.count) written" + (served.finished ? "" : ", writing")
    }

    /// The symbols of the sample the maps are of, one per position.
    public func attentionSymbols(_ maps: AttentionMaps) -> [String] {
        var vocabulary: [String] = []
        if let served = bench.views.attention.served { vocabulary = served.vocabulary }
        else if case let .symbols(v, _, _)? = bench.data?.full.kind { vocabulary = v }
        return maps.ids.map { $0 >= 0 && $0 < vocabulary.count ? SamplePreview.shown(vocabulary[$0]) : "\($0)" }
    }
}
