import TensorCore
import NeuralEngine

/// How a run's updates compute: on its own thread, or with a second one when the model is big
/// enough and the budget grants it (`ThreadBudget`). Decided from the model, never from timing.
struct ThreadUse {
    let budget: ThreadBudget
    let token: Int
    /// How the current update computes (nil while the run is not computing).
    private(set) var plan: ThreadBudget.Plan?
    /// The model's sizes for the batch they were computed for (recomputed only when `set batch`
    /// changes it: no allocation per update).
    private var sizes = (batch: -1, product: 0, largestTensor: 0)

    init(budget: ThreadBudget) {
        self.budget = budget
        token = budget.makeToken()
    }

    /// Two threads for a model with large products or large parameter tensors at full pace,
    /// never both at once: OpenBLAS's second thread for products of ≥ 2²⁴ multiply-adds
    /// (`BLAS.threads(forProduct:)`), otherwise Adam's split for tensors of ≥ 2¹⁶ values
    /// (`WorkSplit.threads(forLargestTensor:besideBLAS:)`). One when paced: idle worker threads
    /// poll for a while after each call, so a slow-paced run would keep a second core busy for
    /// nothing.
    mutating func wanted(by trainer: Trainer, paced: Bool) -> ThreadBudget.Plan {
        guard !paced else { return .one }
        let batch = trainer.batchSize ?? trainer.sampleCount
        if sizes.batch != batch {
            let largest = trainer.model.parameters.reduce(0) { max($0, $1.value.count) }
            sizes = (batch, trainer.model.largestProduct(batch: batch), largest)
        }
        if BLAS.threads(forProduct: sizes.product) >= 2 { return .blas }
        if WorkSplit.threads(forLargestTensor: sizes.largestTensor, besideBLAS: 1) >= 2 { return .split }
        return .one
    }

    /// What the budget grants the next update (nil: wait, another run holds the second thread).
    mutating func grant(_ wanted: ThreadBudget.Plan) -> ThreadBudget.Plan? {
        plan = budget.plan(token, wanted: wanted)
        return plan
    }

    /// The run starts computing (it runs, or makes a step by hand).
    func enter() { budget.enter() }

    /// The run stops computing.
    mutating func leave() {
        budget.leave(token)
        plan = nil
    }
}
