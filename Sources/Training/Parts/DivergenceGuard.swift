import TensorCore
import NeuralEngine

/// Catches a run whose loss blew up, and keeps the weights to go back to (`Checkpoint`).
///
/// A run has diverged when, at an update,
/// 1. its loss or gradient is not a finite number, or
/// 2. its loss jumped past 10⁴ times the untrained model's first loss (and past 10³), or
/// 3. its loss has **stayed** far above where it was sane: `window` updates in a row above both
///    10 times the loss kept with the last sane checkpoint and twice the untrained model's loss.
///
/// Rule 3 catches the blow-up that stays finite: tanh units saturated by a huge rate give a
/// loss of hundreds with a gradient of 0, forever, where rules 1 and 2 see nothing. A checkpoint
/// is kept before every live change (`set lr` …), so a blow-up a change caused goes back to the
/// weights from before it. Help states the rule (`CommandTable.divergenceRule`; a test checks the two agree).
struct DivergenceGuard {
    /// Updates in a row a loss must stay far above the sane one (rule 3).
    static let window = 16
    /// How far above the last sane loss counts as far (rule 3).
    static let factor: Float = 10

    private(set) var checkpoint: Checkpoint
    /// Updates in a row whose loss was far above the sane one.
    private var farAbove = 0

    init(_ trainer: Trainer) { checkpoint = Checkpoint(trainer) }

    /// Rules 1 and 2 for one update's result, `firstLoss` being the untrained model's loss.
    static func exploded(_ result: StepResult, firstLoss: Float) -> Bool {
        !result.loss.isFinite || !result.gradientNorm.isFinite || (result.loss > 1e3 && result.loss > firstLoss * 1e4)
    }

    /// Takes one update's result; returns true when the run has diverged (any rule).
    mutating func observe(_ result: StepResult, of trainer: Trainer) -> Bool {
        let first = trainer.firstLoss ?? .infinity
        if Self.exploded(result, firstLoss: first) { return true }
        let sane = checkpoint.kept?.loss ?? first
        if result.loss > Self.factor * sane && !Checkpoint.isSane(result.loss, firstLoss: trainer.firstLoss) {
            farAbove += 1
        } else {
            farAbove = 0
        }
        if farAbove >= Self.window { return true }
        checkpoint.observe(result.loss, of: trainer)
        return false
    }

    /// Keeps the current weights if the updates since the last checkpoint were sane.
    mutating func saveIfSane(_ trainer: Trainer) { checkpoint.saveIfSane(trainer) }

    /// Puts the last sane weights back (the run's start when none was sane) and forgets the
    /// optimizer's state; returns what came back, nil for the start.
    mutating func restore(into trainer: Trainer) -> Checkpoint.Kept? {
        farAbove = 0
        let kept = checkpoint.restore(into: trainer)
        trainer.optimizer.resetState()
        return kept
    }
}
