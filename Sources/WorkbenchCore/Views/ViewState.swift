import NeuralEngine
import Training
import CommandLanguage

/// What the panes show beyond the runs' records and snapshots, as one value: the view a command
/// asked for, the runs overlaid, the last `lr find`, a rewound epoch, the hidden unit and the
/// attention map in view, the samples picked out. Commands change it; the screen draws from it;
/// a screen test sets it in one go (its fixtures record it whole).
public struct ViewState: Codable, Equatable, Sendable {
    /// A view a command asked the screen for (`show contour`, `lr find` …), numbered so the
    /// front end follows each request once, typed or from a notebook cell.
    public struct Request: Codable, Equatable, Sendable {
        public enum View: Codable, Equatable, Sendable {
            case show(ShowView)
            /// `lr find`'s sweep.
            case lrFind
            /// Every pane as a new session shows it (a lesson or a replay opened, `reset`).
            case fresh
        }

        public var view: View
        public var serial: Int
    }

    /// Runs the loss chart and the contour overlay (a race's racers, `compare RUN …`) while the
    /// run that was current when they were asked for stays current.
    public struct Overlay: Codable, Equatable, Sendable {
        public var runs: [Int]
        public var whileCurrent: Int?
        /// Runs of earlier sessions read back from the run store (`compare @12 last`), drawn
        /// after this session's.
        public var kept: [RunRecord]?
    }

    /// The last `lr find`: its sweep and suggestion, and the run it was made from (nil: the
    /// next run's weights).
    public struct LearningRateFind: Codable, Equatable, Sendable {
        public var run: Int?
        public var result: LearningRateRangeTest.Result
    }

    /// `rewind`: the current run as it was at a kept epoch, which the panes draw instead of now.
    public struct Rewound: Codable, Equatable, Sendable {
        public var run: Int
        public var epoch: Int
        public var update: Int
        public var snapshot: RunSnapshot
    }

    /// `show unit`: the hidden unit (0-based layer and unit) snapshots draw over the plane.
    public struct Unit: Codable, Equatable, Sendable {
        public var layer: Int
        public var unit: Int
    }

    public private(set) var request: Request?
    public var overlay: Overlay?
    public var lrFind: LearningRateFind?
    public var rewound: Rewound?
    public var unit: Unit?
    public var attention = AttentionView()
    /// Samples picked out of the data (`show misclassified`), which the data pane lists.
    public var selection: SampleSelection?

    public init() {}

    /// Asks the screen for `view`.
    public mutating func ask(for view: Request.View) {
        request = Request(view: view, serial: (request?.serial ?? 0) + 1)
    }

    /// Every view as a new session has it, and the screen asked to draw its panes so (a lesson
    /// opened, `reset`): nothing an earlier lesson showed stays on a pane.
    public mutating func startFresh() {
        let serial = request?.serial ?? 0
        self = ViewState()
        request = Request(view: .fresh, serial: serial + 1)
    }

    /// What the panes drew of a run the set-up no longer makes: the unit, the attention map and a
    /// rewound epoch belong to the old model.
    public mutating func forgetModel() {
        rewound = nil
        unit = nil
        attention = AttentionView()
    }
}

/// Which attention map `show attention` and the evaluation pane draw.
public struct AttentionView: Codable, Equatable, Sendable {
    /// The attention layer, 0-based among the model's attention layers (block 1 is 0).
    public var layer = 0
    /// The head, 0-based; nil: every head of the layer side by side.
    public var head: Int?
    /// The validation sample (its row in the validation split).
    public var sample = 0
    /// Set by `show attention served`: the view follows the text the model server writes instead.
    public var served: ServedAttention?
}

/// The attention view following the text the model server writes (`show attention served`):
/// the latest completion, and the served model's attention on the window it reads to write the
/// next symbol, recomputed as each token arrives.
public struct ServedAttention: Codable, Equatable, Sendable {
    public var model = ""
    public var prompt = ""
    public var text = ""
    public var finished = false
    /// The served model's symbols, for the axes.
    public var vocabulary: [String] = []
    /// The maps on the last window of prompt and text; nil until the server writes.
    public var maps: AttentionMaps?
    /// The server's completion revision they are of.
    public var revision = -1

    public init() {}
}

/// Samples picked out of the data set, e.g. the validation samples of one confusion cell.
public struct SampleSelection: Equatable, Sendable, Codable {
    /// What they are, for a pane title: `true 3 → predicted 8`.
    public var title: String
    /// Their rows in the full data set, in the order listed.
    public var rows: [Int]
    /// How many samples the whole selection had (`rows` may be a prefix).
    public var total: Int
    /// The run whose predictions picked them (nil: none); another run current, they are not shown.
    public var run: Int?

    public init(title: String, rows: [Int], total: Int, run: Int? = nil) {
        self.title = title
        self.rows = rows
        self.total = total
        self.run = run
    }
}
