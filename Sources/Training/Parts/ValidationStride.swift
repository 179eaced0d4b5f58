/// Which epochs a run of many short epochs validates. Each epoch's validation costs about
/// `EvaluationSample.forwardShare` · V / T of its training: a tenth for an 80/20 split, however
/// small the model. A run that prints every `printed` epochs validates every `every`-th
/// (a twentieth of `printed`: about 200 a run), every printed epoch and its last; every epoch of
/// a run of up to 399 epochs (every lesson's but two, which validate every second). A run with
/// early stopping or a plateau schedule validates every epoch: they decide on it. W3 through
/// `train` (16,000 epochs of 40 updates) spent 7 % of its training thread on validation before;
/// every 80th epoch, 0.1 %. Counts alone decide, so replays print the same.
public struct ValidationStride: Sendable, Equatable {
    public let every: Int
    public let printed: Int

    /// Every epoch.
    public static let everyEpoch = ValidationStride(every: 1, printed: 1)

    public init(every: Int, printed: Int) {
        self.every = max(1, every)
        self.printed = max(1, printed)
    }

    /// For a run that prints every `printed` epochs.
    public init(printingEvery printed: Int) {
        self.init(every: printed / 20, printed: printed)
    }

    /// Whether epoch `epoch` (counted over the model's life) is validated; `last`: the run's last.
    public func validates(epoch: Int, last: Bool) -> Bool {
        last || epoch % every == 0 || epoch % printed == 0
    }
}
