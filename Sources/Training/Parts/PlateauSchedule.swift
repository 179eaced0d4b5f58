/// ReduceLROnPlateau: after `patience` epochs without a better validation loss, the run's rate
/// is multiplied by `factor` (and the count starts again).
struct PlateauSchedule {
    let patience: Int
    let factor: Float
    private var best = Float.infinity
    private var stalled = 0

    init(patience: Int, factor: Float) {
        self.patience = patience
        self.factor = factor
    }

    /// Takes an epoch's validation loss; returns true when the rate should be cut now.
    mutating func observe(_ loss: Float) -> Bool {
        if loss < best {
            best = loss
            stalled = 0
            return false
        }
        stalled += 1
        guard stalled >= patience else { return false }
        stalled = 0
        return true
    }
}
