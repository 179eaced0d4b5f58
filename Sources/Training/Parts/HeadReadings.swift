import TensorCore
import NeuralEngine

/// When a GPT's heads are read during a run (`HeadScores.read` on the probing copy): every
/// `stride` updates, counted in updates so that a replay reads them at the same updates and
/// prints the same history, and at every pause, step by hand, stop and end.
///
///     stride = ⌈64 · probes / batch⌉ updates at first, doubled whenever the history thins
///
/// A reading is one forward pass over `probes` sequences, about probes / (3 · batch) of an
/// update (forward and backward over the batch), so the first stride keeps it near 0.5 % of
/// the run for any model and batch, and less once the stride grows.
struct HeadReadings {
    private(set) var history = HeadHistory()
    private(set) var stride: Int
    /// Readings taken so far.
    private(set) var taken = 0
    private var next: Int
    /// The probe, made once (`HeadScores.probe`).
    private let probe: Tensor

    static let probes = 32

    /// Nil when the model has no heads to read.
    init?(model: Sequential, batch: Int) {
        guard let shape = HeadScores.probeShape(of: model) else { return nil }
        probe = HeadScores.probe(count: Self.probes, length: shape.length, vocabulary: shape.vocabulary)
        stride = max(1, (64 * Self.probes + batch - 1) / max(batch, 1))
        next = 0
    }

    func isDue(at update: Int) -> Bool { update >= next }

    /// Reads `model` (holding the run's weights) after `update` updates.
    mutating func take(_ model: Sequential, update: Int) {
        guard let reading = HeadScores.read(model, probe: probe) else { return }
        taken += 1
        if history.record(reading, update: update) { stride *= 2 }
        next = update + stride
    }
}
