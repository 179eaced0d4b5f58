import TensorCore

/// The result of one optimizer update.
public struct StepResult: Equatable, Sendable {
    /// Data loss on the batch plus the regularization penalty, before the update.
    public var loss: Float
    /// ‖∇θ‖₂ over all parameters (after regularization), before the update.
    public var gradientNorm: Float
    /// The learning rate the update used.
    public var learningRate: Float
    /// True when this update finished an epoch.
    public var endedEpoch: Bool

    public init(loss: Float, gradientNorm: Float, learningRate: Float, endedEpoch: Bool) {
        self.loss = loss
        self.gradientNorm = gradientNorm
        self.learningRate = learningRate
        self.endedEpoch = endedEpoch
    }
}

/// Trains a model on in-memory data: a synchronous `step` that tests and the background runner
/// both call, shuffled mini-batches per epoch, and evaluation.
///
/// Batch size decides the flavour of gradient descent: `nil` (full batch) is gradient descent,
/// 1 is stochastic gradient descent, anything between is mini-batch SGD.
public final class Trainer {
    public let model: Sequential
    public private(set) var loss: any Loss
    public var optimizer: any Optimizer
    public var regularizer: Regularizer?
    public var schedule: Schedule = .constant
    /// η₀, the run's learning rate: the one place it lives while a model trains. The schedule
    /// scales it for each update, which hands the result to the optimizer; `set lr` changes it.
    public var learningRate: Float
    /// Samples per update; nil means the whole training set.
    public var batchSize: Int? {
        didSet { if let b = batchSize { batchSize = max(1, min(b, sampleCount)) } }
    }
    /// nil for regression; the number of classes otherwise.
    public let classes: Int?
    /// Updates performed so far.
    public internal(set) var updates = 0
    /// Completed epochs.
    public internal(set) var epochs = 0
    /// The run's planned length in updates, for schedules that need it (cosine, one-cycle).
    public var plannedUpdates = 1
    /// How regression targets were standardised (nil: they are in the data's units):
    /// `predict` and the regression metrics of `evaluate` give the data's units back.
    public var targetScaling: TargetScaling?
    /// The loss of the first update this model ever made, at its initial weights (the
    /// yardstick of a sane loss: an untrained model's).
    public internal(set) var firstLoss: Float?

    public let x: Tensor
    public let y: Tensor
    var rng: SeededGenerator
    var order: [Int]
    var position = 0
    /// The last training batch (what `lastBatchLoss` and `gradientCheck` evaluate).
    public private(set) var batchX = Tensor(shape: [0])
    public private(set) var batchY = Tensor(shape: [0])
    private var outputGradient = Tensor(shape: [0])
    /// The rows of the chunk being evaluated (kept: evaluating allocates no tensor once warm).
    private var chunkX = Tensor(shape: [0])
    private var chunkY = Tensor(shape: [0])
    /// What an evaluation predicted, kept between evaluations like the chunk buffers.
    private var predictedClassBuffer: [Int] = []
    private var predictedValueBuffer: [Float] = []
    /// The gradient an evaluation's loss computes and nobody reads.
    private var evaluationGradient = Tensor(shape: [0])

    /// A trainer for `model` (built by the trainer if not yet) on features `x` (n, …) and
    /// targets `y` (n, 1). Throws, naming the layer or loss and the shapes, when they don't fit.
    public init(model: Sequential, loss: any Loss, optimizer: any Optimizer, learningRate: Float,
                x: Tensor, y: Tensor, classes: Int?, batchSize: Int? = 32,
                rng: SeededGenerator) throws(ModelError) {
        guard x.rows == y.rows, x.rows > 0 else {
            throw .shapeMismatch(layer: "data", expected: "as many targets as samples (> 0)",
                                 got: "\(x.rows) samples and \(y.rows) targets")
        }
        var rng = rng
        if model.inputShape == nil {
            try model.build(inputShape: Array(x.shape.dropFirst()), rng: &rng)
        } else if model.inputShape! != Array(x.shape.dropFirst()) {
            throw .shapeMismatch(layer: "\(model.names[0]) (\(model.layers[0].label))",
                                 expected: Tensor.describeBatched(model.inputShape!),
                                 got: Tensor.describeBatched(Array(x.shape.dropFirst())))
        }
        try loss.validate(outputColumns: model.outputShape.reduce(1, *), targets: y)
        try ModelLimits.checkActivations(model, batch: batchSize.map { max(1, min($0, x.rows)) } ?? x.rows)
        model.prepare(for: loss)
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.classes = classes
        self.x = x
        self.y = y
        self.rng = rng
        self.order = Array(0..<x.rows)
        self.batchSize = batchSize.map { max(1, min($0, x.rows)) }
        self.order.shuffle(using: &self.rng)
    }

    public var sampleCount: Int { x.rows }

    /// A regression model: one number per sample, no classes (a sequence model has no classes
    /// either, but a target per position).
    public var isRegression: Bool { classes == nil && y.columns == 1 }

    /// Updates per epoch at the current batch size.
    public var updatesPerEpoch: Int {
        let b = batchSize ?? sampleCount
        return (sampleCount + b - 1) / b
    }

    /// One update on the given batch: forward, loss, backward, regularization, optimizer step.
    /// `x` must have the model's input shape (the trainer's own batches always do; the shapes
    /// were checked when the trainer was made).
    public func step(on x: Tensor, _ y: Tensor) -> StepResult {
        let output = try! model.forward(x, training: true)
        var value = loss.loss(output, y, gradient: &outputGradient)
        model.backward(outputGradient)
        let parameters = model.parameters
        if let r = regularizer {
            value += r.penalty(parameters)
            r.addGradient(parameters)
        }
        let rate = schedule.rate(base: learningRate, update: updates, total: plannedUpdates)
        let squares = optimizer.updateMeasuringGradient(parameters, learningRate: rate)
        if firstLoss == nil, value.isFinite { firstLoss = value }
        updates += 1
        return StepResult(loss: value, gradientNorm: Float(squares.squareRoot()), learningRate: rate, endedEpoch: false)
    }

    /// The loss (plus penalty) of the current weights on `x`, `y` in evaluation mode, with every
    /// parameter's gradient of it written by one backward pass; no weight moves. What gradient
    /// checks compare against, and how a copy at old weights gets its gradients (`rewind`).
    @discardableResult
    public func computeGradients(on x: Tensor, _ y: Tensor) throws(ModelError) -> Float {
        var gradient = Tensor(shape: [0])
        let output = try model.forward(x, training: false)
        var value = loss.loss(output, y, gradient: &gradient)
        model.backward(gradient)
        if let r = regularizer {
            value += r.penalty(model.parameters)
            r.addGradient(model.parameters)
        }
        return value
    }

    /// Every parameter's gradient at the current weights on the latest training batch, in
    /// evaluation mode: after weights are put back (a divergence), the gradients the panes show
    /// are those of the weights that came back, not of the blow-up.
    public func refreshGradients() {
        guard batchX.rows > 0 else { return }
        _ = try? computeGradients(on: batchX, batchY)
    }

    /// One update on the next mini-batch of the current epoch's shuffled order.
    public func trainStep() -> StepResult {
        let b = batchSize ?? sampleCount
        let end = min(position + b, sampleCount)
        gatherBatch(position..<end)   // the slice of `order` dies here: the shuffle below copies nothing
        var result = step(on: batchX, batchY)
        position = end
        if position >= sampleCount {
            position = 0
            epochs += 1
            order.shuffle(using: &rng)
            result.endedEpoch = true
        }
        return result
    }

    private func gatherBatch(_ range: Range<Int>) {
        x.gatherRows(order[range], into: &batchX)
        y.gatherRows(order[range], into: &batchY)
    }

    /// The loss (plus penalty) on the most recent training batch with the current weights,
    /// in evaluation mode: the "after" of a step explanation.
    public func lastBatchLoss() -> Float {
        guard batchX.rows > 0, let output = try? model.forward(batchX, training: false) else { return .nan }
        return loss.loss(output, batchY) + (regularizer?.penalty(model.parameters) ?? 0)
    }

    /// Runs updates until the current epoch ends; returns the mean step loss.
    @discardableResult
    public func trainEpoch() -> Float {
        var total: Float = 0, count = 0
        repeat {
            let r = trainStep()
            total += r.loss
            count += 1
            if r.endedEpoch { break }
        } while true
        return total / Float(count)
    }

    /// Rows evaluated at a time: as many as cost about 2²² multiply-adds forward (1,024 for a
    /// small network, where each call's fixed cost dominates), never fewer than the training
    /// batch (a large model then evaluates in the buffers training sized, which
    /// `Tensor.resize` keeps, instead of growing every layer's).
    public var evaluationChunk: Int {
        max(1, batchSize ?? sampleCount, min(1024, (1 << 22) / forwardMultiplyAddsPerSample))
    }

    /// Multiply-adds of one sample's forward pass: a third of an update's (backward is two).
    public var forwardMultiplyAddsPerSample: Int { max(model.multiplyAddsPerUpdate(batch: 1) / 3, 1) }

    /// Loss and metrics on `x`, `y` in evaluation mode (no dropout), in chunks of
    /// `evaluationChunk` rows. Data that does not fit the model (another data set's shapes)
    /// gives a NaN loss and no metrics, never a crash.
    public func evaluate(x: Tensor, y: Tensor) -> Evaluation {
        guard x.rows == y.rows, let inputShape = model.inputShape, x.shape.dropFirst().elementsEqual(inputShape),
              (try? loss.validate(outputColumns: model.outputShape.reduce(1, *), targets: y)) != nil else {
            return Evaluation(loss: .nan)
        }
        var totalLoss: Double = 0
        let positions = y.columns
        predictedClassBuffer.removeAll(keepingCapacity: true)
        predictedValueBuffer.removeAll(keepingCapacity: true)
        var start = 0
        let chunk = evaluationChunk
        while start < x.rows {
            let end = min(start + chunk, x.rows)
            x.copyRows(start..<end, into: &chunkX)
            y.copyRows(start..<end, into: &chunkY)
            guard let output = try? model.forward(chunkX, training: false) else { return Evaluation(loss: .nan) }
            model.releaseInput()
            totalLoss += Double(loss.loss(output, chunkY, gradient: &evaluationGradient)) * Double(end - start)
            if positions > 1 || classes != nil {
                appendClasses(of: output, positions: positions, to: &predictedClassBuffer)
            } else {
                appendValues(of: output, to: &predictedValueBuffer)
            }
            start = end
        }
        var evaluation = Evaluation(loss: Float(totalLoss / Double(max(x.rows, 1))))
        if positions > 1 {
            evaluation.sequence = SequenceMetrics(predicted: predictedClassBuffer, targets: y.scalars, positions: positions)
        } else if let k = classes {
            // A soft binary label (0 < y < 1) counts as class 1.
            var confusion = ConfusionMatrix(classes: k)
            for (t, p) in zip(y.scalars, predictedClassBuffer) { confusion.add(truth: max(0, t > 0 && k == 2 && t < 1 ? 1 : Int(t)), predicted: p) }
            evaluation.confusion = confusion
        } else {
            let truth = targetScaling.map { $0.restored(y).scalars } ?? y.scalars
            evaluation.regression = RegressionMetrics(predicted: predictedValueBuffer, truth: truth)
        }
        if let r = regularizer { evaluation.loss += r.penalty(model.parameters) }
        return evaluation
    }

    /// The model's output for `x` in the data's units (probabilities where a head is folded;
    /// regression outputs scaled back when the targets were standardised).
    public func predict(_ x: Tensor) throws(ModelError) -> Tensor { try predict(x, with: model) }

    /// `predict` run on `model`, a copy holding this model's weights (a run's probes keep one).
    public func predict(_ x: Tensor, with model: Sequential) throws(ModelError) -> Tensor {
        var y = try model.forward(x, training: false)
        let columns = y.shape.last ?? 1
        y.scalars.withUnsafeMutableBufferPointer { finish($0, columns: columns, on: model) }
        return y
    }

    /// Turns outputs of `model`'s last layer into predictions: the folded head, then the
    /// targets' scaling undone.
    private func finish(_ outputs: UnsafeMutableBufferPointer<Float>, columns: Int, on model: Sequential) {
        model.applyHead(to: outputs, columns: columns)
        targetScaling?.restore(outputs)
    }

    /// The class predicted for each row of `x` (evaluation mode, in chunks of `evaluationChunk`
    /// rows): the arg-max of the outputs, or for one output whether it is above the loss's threshold.
    public func predictedClasses(_ x: Tensor) -> [Int] {
        var predicted: [Int] = []
        var start = 0
        while start < x.rows {
            let end = min(start + evaluationChunk, x.rows)
            x.copyRows(start..<end, into: &chunkX)
            guard let output = try? model.forward(chunkX, training: false) else { return predicted }
            model.releaseInput()
            appendClasses(of: output, positions: 1, to: &predicted)
            start = end
        }
        return predicted
    }

    /// Appends `output`'s values as `predict` gives them (a folded head applied, the targets'
    /// scaling undone) without a second forward pass.
    private func appendValues(of output: Tensor, to out: inout [Float]) {
        let start = out.count
        out.append(contentsOf: output.scalars)
        out.withUnsafeMutableBufferPointer { all in
            finish(UnsafeMutableBufferPointer(rebasing: all[start...]), columns: output.shape.last ?? 1, on: model)
        }
    }

    /// Appends the class of each row of `output` (each position's, for `positions` > 1): the
    /// arg-max of its scores (the first of equal ones), or for one score whether it is above the
    /// loss's threshold. Within `out`'s capacity it allocates nothing.
    private func appendClasses(of output: Tensor, positions: Int, to out: inout [Int]) {
        let k = output.columns / max(positions, 1)
        guard k > 0 else { return }
        let threshold = loss.decisionThreshold
        output.scalars.withUnsafeBufferPointer { p in
            var i = 0
            while i + k <= p.count {
                if k == 1 {
                    out.append(p[i] > threshold ? 1 : 0)
                } else {
                    var best = 0, bestValue = -Float.infinity
                    for j in 0..<k where p[i + j] > bestValue { (best, bestValue) = (j, p[i + j]) }
                    out.append(best)
                }
                i += k
            }
        }
    }
}
