import NeuralEngine

/// What the last `ablate` or `patch` measured, over all scored positions of the validation
/// split: the run, the head (as `show heads` names it), intact and changed.
struct HeadEffectSummary {
    var run: Int
    var head: String
    var loss: Double, accuracy: Double
    var changedLoss: Double, changedAccuracy: Double

    init(run: Int, head: String, _ effects: [HeadEffect]) {
        let all = HeadEffect.overall(effects)
        self.run = run
        self.head = head
        (loss, accuracy, changedLoss, changedAccuracy) = (all.loss, all.accuracy, all.changedLoss, all.changedAccuracy)
    }
}
