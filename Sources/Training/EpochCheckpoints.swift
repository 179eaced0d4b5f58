import TensorCore
import NeuralEngine

/// The weights of a run at the end of past epochs, for `rewind EPOCH`: a bounded ring. When it
/// fills, every other checkpoint goes (the first and the newest stay), so it always spans the
/// whole run at a spacing that doubles as the run grows, in a fixed amount of memory: at most
/// `capacity` copies, and at most about 4 M values in all (16 MB).
///
/// Thread contract: the run's driver thread writes (at epoch ends); anyone may read only while
/// no thread drives the run (before it starts, after its handle is joined).
public final class EpochCheckpoints: @unchecked Sendable {
    public struct Checkpoint: Sendable {
        public var epoch: Int
        public var update: Int
        public var weights: [Tensor]
    }

    public let capacity: Int
    public private(set) var checkpoints: [Checkpoint] = []
    /// Keep every `spacing`-th epoch (doubles each time the ring fills).
    public private(set) var spacing = 1
    /// Weights of checkpoints dropped when the ring thinned, to be written over (so a warm run
    /// allocates nothing to keep an epoch, and its live weights are never shared: sharing made
    /// the next update copy them).
    private var spare: [[Tensor]] = []

    public init(parameterCount: Int, maximumValues: Int = 1 << 22) {
        capacity = max(4, min(64, maximumValues / max(parameterCount, 1)))
    }

    /// Keeps the model's weights as epoch `epoch`'s, if the spacing says so.
    public func save(_ model: Sequential, epoch: Int, update: Int) {
        guard epoch % spacing == 0 else { return }
        if checkpoints.count == capacity {
            let newest = checkpoints[checkpoints.count - 1]
            spare += checkpoints.enumerated().filter { $0.offset % 2 == 1 && $0.offset != checkpoints.count - 1 }.map(\.element.weights)
            checkpoints = checkpoints.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            if checkpoints.last?.epoch != newest.epoch { checkpoints.append(newest) }
            spacing *= 2
            guard epoch % spacing == 0 else { return }
        }
        var weights = spare.popLast() ?? model.parameters.map { Tensor(shape: $0.value.shape) }
        for (i, p) in model.parameters.enumerated() { weights[i].assign(p.value) }
        checkpoints.append(Checkpoint(epoch: epoch, update: update, weights: weights))
    }

    /// The kept checkpoint nearest to `epoch` (the later one on a tie).
    public func nearest(to epoch: Int) -> Checkpoint? {
        checkpoints.min { abs($0.epoch - epoch) < abs($1.epoch - epoch) || (abs($0.epoch - epoch) == abs($1.epoch - epoch) && $0.epoch > $1.epoch) }
    }
}
