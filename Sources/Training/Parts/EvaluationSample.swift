import TensorCore

/// The samples a run evaluates where a whole pass would cost more than its share of the run:
/// each epoch's validation, and the training and validation figures at the run's end. A forward
/// pass costs about `forwardShare` of an update per sample, so evaluating V samples after T
/// trained ones costs about 0.4 V / T of that training. The limit is a thirty-second of T (its
/// pass costs about 1.25 % of that training) or as many samples as cost 2²⁴ multiply-adds
/// forward (a few milliseconds: every lesson's data set stays whole), whichever is more, and at
/// least 64.
/// A split of more than twice the limit (a smaller saving is not worth a different figure) is
/// evaluated on that many rows spread evenly over it (every k-th row: the split is random, and
/// the spread keeps every part of it). T is one epoch's samples for an epoch's validation and all
/// the run's for its end, where the training and the validation set share that budget (each
/// gets the limit of half of T), so only a large model's run, or a run of few epochs over a
/// large set, samples. Decided from counts alone, so the same samples are evaluated on every
/// replay.
public struct EvaluationSample: Sendable {
    /// A forward pass's time beside an update's, per sample (measured on gpt-nano and the MLPs).
    public static let forwardShare = 0.4

    public let x: Tensor
    public let y: Tensor
    /// How many samples these are, and of how many.
    public let count: Int
    public let total: Int

    /// The most samples a pass evaluates after `training` samples were trained on, by a model
    /// whose forward pass costs `forward` multiply-adds a sample.
    public static func limit(training: Int, forward: Int) -> Int {
        max(64, training / 32, (1 << 24) / max(forward, 1))
    }

    /// The limit for each of the two passes at a run's end, after `trained` samples in all.
    public static func limitAtEnd(trained: Int, forward: Int) -> Int { limit(training: trained / 2, forward: forward) }

    /// Whether a split of `rows` is sampled: when it has more than twice the limit.
    public static func samples(_ rows: Int, limit: Int) -> Bool { rows > 2 * limit }

    /// `x` and `y` whole, or every k-th row when they have more than twice `limit(training:forward:)`.
    public init(x: Tensor, y: Tensor, trainingSamples: Int, forward: Int) {
        self.init(x: x, y: y, limit: Self.limit(training: trainingSamples, forward: forward))
    }

    /// `x` and `y` whole, or `limit` rows spread over them when they have more than twice that.
    public init(x: Tensor, y: Tensor, limit: Int) {
        let all = x.rows
        total = all
        guard Self.samples(all, limit: limit) else {
            (self.x, self.y, count) = (x, y, all)
            return
        }
        let rows = (0..<limit).map { $0 * all / limit }
        (self.x, self.y, count) = (x.gatherRows(rows), y.gatherRows(rows), limit)
    }

    public var isAll: Bool { count == total }
}
