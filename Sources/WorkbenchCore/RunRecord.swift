import NeuralEngine
import Training

/// What the session keeps of a run, during and after it: settings, histories and results.
///
/// The per-update loss history is bounded (`LossHistory` keeps min/max per bucket), so a run of
/// millions of updates still fits and draws faithfully.
public struct RunRecord: Sendable, Codable {
    public struct EpochRecord: Sendable, Equatable, Codable {
        public var epoch: Int
        public var update: Int
        public var trainLoss: Float
        public var validationLoss: Float
        public var validationMetric: Float
    }

    /// A live change marked on the loss chart: `▲lr=0.01` at an update.
    public struct Marker: Sendable, Equatable, Codable {
        public var update: Int
        public var label: String
    }

    public enum Status: String, Sendable, Codable { case ready, training, paused, stopped, finished, diverged }

    public let id: Int
    public var data: String
    public var model: String
    public var loss: String
    public var optimizer: String
    public var batch: String
    public var plannedEpochs: Int

    /// "epoch 3/10" within the run's plan; "epoch 12" once `step` has gone on past its end, or
    /// when it had no plan (a run made for stepping).
    public static func epochProgress(_ epoch: Int, of planned: Int) -> String {
        planned > 0 && epoch <= planned ? "epoch \(epoch)/\(planned)" : "epoch \(epoch)"
    }

    /// `epochProgress` for the epochs done so far.
    public var epochProgress: String { Self.epochProgress(epochs, of: plannedEpochs) }
    public var status: Status = .ready
    public var updates = 0
    public var epochs = 0
    public var learningRate: Float = .nan
    public var lossHistory = LossHistory()
    public var epochHistory: [EpochRecord] = []
    public var markers: [Marker] = []
    public var trainEvaluation: Evaluation?
    public var validationEvaluation: Evaluation?
    public var seconds: Double = 0
    public var droppedEvents = 0
    /// Classification metric name (`acc`) or regression (`r2`).
    public var metricName: String

    /// One line for `runs`.
    /// run, status, data, model, optimizer (with the lr it ended at when changed), batch,
    /// epochs, validation metric.
    public var summaryRow: [String] {
        let metric = validationEvaluation?.headline.map { "\($0.name) \(fmt($0.value))" } ?? ""
        let changed = markers.contains { $0.label.hasPrefix("lr=") } ? " → lr \(fmt(learningRate))" : ""
        return ["\(id)", status.rawValue, data, model, optimizer + changed, batch, "\(epochs)", metric]
    }
}
