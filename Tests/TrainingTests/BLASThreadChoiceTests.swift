import Testing
import TensorCore
import NeuralEngine
@testable import Training

/// How many threads a run uses (OpenBLAS's, and Adam's split): two only for large products or
/// tensors at full pace, only with at least `ThreadBudget.wideCores` CPUs and only while it
/// computes alone, one again when it stops computing. The budgets here say how many CPUs.
/// Serialized: OpenBLAS's thread count is process-wide.
@Suite(.serialized) struct BLASThreadChoiceTests {
    @Test func theRuleFollowsTheProductSize() throws {
        let w1 = try Sequential([try Dense(units: 256, activation: .relu), try Dense(units: 128, activation: .relu),
                                 try Dense(units: 10, activation: .softmax)])
        var rng = SeededGenerator(seed: 1)
        try w1.build(inputShape: [784], rng: &rng)
        #expect(w1.largestProduct(batch: 128) == 128 * 784 * 256)
        let two = BLAS.availableCPUs >= 2 ? 2 : 1
        #expect(BLAS.threads(forProduct: 128 * 784 * 256) == two)
        #expect(BLAS.threads(forProduct: BLAS.twoThreadProduct - 1) == 1)
        let conv = try Sequential([try Conv2D(filters: 32, kernel: (3, 3), activation: .relu)])
        try conv.build(inputShape: [28, 28, 1], rng: &rng)
        #expect(conv.largestProduct(batch: 32) == 32 * 26 * 26 * 9 * 32, "W2's im2col product: one thread")
        let split = BLAS.availableCPUs >= 2 ? 2 : 1
        #expect(WorkSplit.threads(forLargestTensor: 160_000, besideBLAS: 1) == split, "W4's table: Adam split")
        #expect(WorkSplit.threads(forLargestTensor: 160_000, besideBLAS: 2) == 1, "never beside OpenBLAS's second thread")
        #expect(WorkSplit.threads(forLargestTensor: 2 * WorkSplit.minimumHalf - 1, besideBLAS: 1) == 1)
    }

    /// A run whose first layer multiplies 64 × 1024 × 256 (= 2²⁴): two threads while it trains at
    /// full pace, one when paced, the default again when it finishes.
    func largeRun(epochs: Int, pace: Double, budget: ThreadBudget = ThreadBudget(cores: 4)) throws -> TrainingRun {
        var rng = SeededGenerator(seed: 4)
        var x = Tensor(shape: [64, 1024]), y = Tensor(shape: [64, 1])
        for i in 0..<x.count { x.scalars[i] = rng.uniform(-1, 1) }
        for i in 0..<64 { y.scalars[i] = Float(i % 2) }
        let trainer = try Trainer(model: Sequential([try Dense(units: 256, activation: .relu),
                                                     try Dense(units: 1, activation: .sigmoid)]),
                                  loss: BinaryCrossEntropy(), optimizer: SGD(), learningRate: 0.01, x: x, y: y, classes: 2,
                                  batchSize: 64, rng: rng)
        return TrainingRun(trainer: trainer, epochs: epochs, validationX: x, validationY: y, pace: pace, budget: budget)
    }

    @Test func aLargeRunTrainsOnTwoThreadsAndGivesThemBack() throws {
        let run = try largeRun(epochs: 2, pace: 0)
        _ = run.advance()
        #expect(run.threadPlan == (BLAS.availableCPUs >= 2 ? .blas : .one), "not .split: OpenBLAS has the second core")
        _ = run.advance()
        #expect(run.state == .finished)
        #expect(run.threadPlan == nil, "given back")
    }

    /// On two CPUs a run computes on one thread whatever its model: the other CPU is the
    /// screen's and the interpreter's.
    @Test func twoCPUsLeaveTheSecondToTheScreen() throws {
        let run = try largeRun(epochs: 2, pace: 0, budget: ThreadBudget(cores: 2))
        _ = run.advance()
        #expect(run.threadPlan == .one && run.trainer.updates == 1)
        _ = run.advance()
        #expect(run.state == .finished)
        #expect(run.threadPlan == nil, "given back")
    }

    @Test func aPacedRunStaysOnOneThread() throws {
        let run = try largeRun(epochs: 3, pace: 1000)
        _ = run.advance()
        #expect(run.trainer.updates == 1 && run.threadPlan == .one)
    }

    /// Two runs computing at once each get one thread, whatever their models want: never more
    /// busy threads than cores. A run that asks while another holds the second thread waits
    /// until the holder gives it back at its next update.
    @Test func twoRunsComputingAtOnceGetOneThreadEach() throws {
        let budget = ThreadBudget(cores: 4)
        let first = try largeRun(epochs: 3, pace: 0, budget: budget)
        _ = first.advance()
        #expect(first.threadPlan == .blas && budget.computingRuns == 1)
        let second = try largeRun(epochs: 3, pace: 0, budget: budget)
        #expect(budget.computingRuns == 2)
        #expect(second.advance() == .wait(0.0005), "the first still holds OpenBLAS's second thread")
        #expect(second.trainer.updates == 0)
        _ = first.advance()
        #expect(first.threadPlan == .one && first.trainer.updates == 2, "gave it back and went on alone")
        #expect(second.advance() == .again && second.threadPlan == .one)
        _ = first.advance()
        #expect(first.state == .finished && budget.computingRuns == 1)
        _ = second.advance()
        #expect(second.threadPlan == .blas, "alone again: the second thread is its")
    }
}
