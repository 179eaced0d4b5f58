import NeuralEngine

/// `step N`: the updates still to make by hand, and the scalar the last of them explains.
///
///     w ← w − η·g   explained as   dense1.w[1,1]: 0.412 − 0.03 × 1.27 = 0.374  (loss 0.52 → 0.49)
struct StepRequest {
    /// The watched scalar: parameter index in `Sequential.parameters`, flat element.
    var watched = (parameter: 0, element: 0)
    /// Updates still to make by hand.
    private(set) var pending = 0

    mutating func add(_ n: Int) { pending += max(0, n) }
    mutating func cancel() { pending = 0 }

    /// The update about to be made is the last one asked for: it is explained.
    var explainsNext: Bool { pending == 1 }

    /// The watched scalar's value now, if it exists.
    func watchedValue(in parameters: [Parameter]) -> Float? {
        guard watched.parameter < parameters.count, watched.element < parameters[watched.parameter].value.count else { return nil }
        return parameters[watched.parameter].value.scalars[watched.element]
    }

    /// One update was made; returns true when it was the last one asked for.
    mutating func madeOne() -> Bool {
        guard pending > 0 else { return false }
        pending -= 1
        return pending == 0
    }

    /// How the watched scalar moved in the update `trainer` just made from `before`.
    func explain(_ trainer: Trainer, _ result: StepResult, before: Float) -> StepExplanation? {
        let parameters = trainer.model.parameters
        guard let after = watchedValue(in: parameters) else { return nil }
        let g = parameters[watched.parameter].gradient.scalars[watched.element]
        let terms = trainer.optimizer.terms(parameter: watched.parameter, element: watched.element, gradient: g,
                                            before: before, learningRate: result.learningRate)
        var explanation = StepExplanation(
            updates: trainer.updates, before: before, gradient: g, learningRate: result.learningRate, after: after,
            lossBefore: result.loss, lossAfter: trainer.lastBatchLoss(),
            optimizerState: terms.map { StepExplanation.Term(name: $0.name, value: $0.value) },
            updateRule: type(of: trainer.optimizer).updateRule)
        if trainer.sampleCount <= StepExplanation.wholeSetLimit {
            explanation.trainingLoss = trainer.evaluate(x: trainer.x, y: trainer.y).loss
        }
        return explanation
    }
}
