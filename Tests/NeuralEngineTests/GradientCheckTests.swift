import Testing
import TensorCore
@testable import NeuralEngine

/// Finite-difference checks: every analytic gradient against central differences on a smooth
/// scalar objective, with the engine's own `GradientCheck` (ε, error measure and bound), the one
/// `gradcheck` uses on a learner's model.
let relativeBound = GradientCheck.bound

func relativeError(_ a: Float, _ n: Float) -> Float { GradientCheck.relativeError(a, n) }

/// Inputs drawn away from 0 so ReLU-family kinks are not straddled by ±ε.
func randomInput(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    var t = Tensor(shape: shape)
    for i in 0..<t.count {
        let v = g.uniform(0.1, 1.5)
        t.scalars[i] = g.uniform() < 0.5 ? -v : v
    }
    return t
}

/// Objective L = Σ y ⊙ r for a fixed random r, so dL/dy = r.
func objective(_ y: Tensor, _ r: Tensor) -> Float {
    zip(y.scalars, r.scalars).reduce(0) { $0 + $1.0 * $1.1 }
}

/// The finite-difference check of a layer on random inputs drawn away from 0.
func checkLayer(_ layer: any Layer, inputShape: [Int], batch: Int = 3, seed: UInt64 = 1) throws {
    try checkGradients(layer, x: randomInput([batch] + inputShape, seed: seed + 1), inputShape: inputShape, seed: seed)
}

/// The finite-difference check every layer test uses (bound and ε above).
///
/// It takes the input explicitly: max pooling needs inputs whose window values are
/// further apart than 2ε (or ±ε would move the argmax), and token ids are not differentiable.
/// It sums the objective L = Σ y ⊙ r in Double: these layers have many outputs per sample, and a
/// Float sum's rounding (~1e-7·|L| / ε) would otherwise rival gradients of 1e-3.
func checkGradients(_ layer: any Layer, x input: Tensor, inputShape: [Int],
                    checkInput: Bool = true, seed: UInt64 = 1, weightScale: Float = 1) throws {
    var rng = SeededGenerator(seed: seed)
    let outShape = try layer.build(inputShape: inputShape, rng: &rng)
    // Layers that start with tiny weights (a GPT's N(0, 0.02²)) are checked at larger ones, so
    // that every path (the attention softmax above all) carries a gradient worth checking.
    if weightScale != 1 {
        for p in layer.parameters where p.isRegularized { p.value.scale(by: weightScale) }
    }
    var x = input
    let r = randomInput([x.rows] + outShape, seed: seed + 2)
    var y = Tensor(shape: [0])
    layer.forward(x, into: &y, training: true)
    #expect(y.shape == [x.rows] + outShape, "\(layer.label) output shape")
    var dx = Tensor(shape: [0])
    layer.backward(x, y, r, into: &dx, needsInputGradient: checkInput)
    func f() -> Double {
        var out = Tensor(shape: [0])
        layer.forward(x, into: &out, training: true)
        return zip(out.scalars, r.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    if checkInput {
        #expect(dx.shape == x.shape)
        for i in 0..<x.count {
            let numeric = GradientCheck.numeric(at: x.scalars[i], set: { x.scalars[i] = $0 }, loss: f)
            #expect(relativeError(dx.scalars[i], numeric) < relativeBound,
                    "\(layer.label) dx[\(i)]: analytic \(dx.scalars[i]) numeric \(numeric)")
        }
    }
    for p in layer.parameters {
        let analytic = p.gradient
        for i in 0..<p.value.count {
            let numeric = GradientCheck.numeric(at: p.value.scalars[i], set: { p.value.scalars[i] = $0 }, loss: f)
            #expect(relativeError(analytic.scalars[i], numeric) < relativeBound,
                    "\(layer.label) d\(p.name)[\(i)]: analytic \(analytic.scalars[i]) numeric \(numeric)")
        }
    }
}

@Suite struct LayerGradientTests {
    @Test(arguments: Activation.allCases)
    func denseWithActivation(_ f: Activation) throws {
        try checkLayer(Dense(units: 4, activation: f), inputShape: [3])
    }

    @Test(arguments: Activation.allCases)
    func standaloneActivation(_ f: Activation) throws {
        try checkLayer(ActivationLayer(f), inputShape: [5])
    }

    @Test func dropoutInEvaluationIsIdentityAndTrainingUsesItsMask() throws {
        let layer = try Dropout(rate: 0.5)
        var rng = SeededGenerator(seed: 3)
        _ = try layer.build(inputShape: [100], rng: &rng)
        let x = randomInput([2, 100], seed: 4)
        var y = Tensor(shape: [0])
        layer.forward(x, into: &y, training: false)
        #expect(y == x)
        layer.forward(x, into: &y, training: true)
        let kept = zip(x.scalars, y.scalars).filter { $0.1 != 0 }
        #expect(kept.allSatisfy { abs($0.1 - 2 * $0.0) < 1e-6 })
        #expect(kept.count > 60 && kept.count < 140)
        // Backward: dx = dy ⊙ mask/(1−p), exactly the derivative of the forward just taken.
        let dy = Tensor(shape: [2, 100], repeating: 1)
        var dx = Tensor(shape: [0])
        layer.backward(x, y, dy, into: &dx, needsInputGradient: true)
        for i in 0..<x.count { #expect(dx.scalars[i] == (y.scalars[i] == 0 ? 0 : 2)) }
    }
}

@Suite struct LossGradientTests {
    func check(_ loss: any Loss, output: Tensor, targets: Tensor) {
        var out = output
        var g = Tensor(shape: [0])
        _ = loss.loss(out, targets, gradient: &g)
        for i in 0..<out.count {
            let numeric = GradientCheck.numeric(at: out.scalars[i], set: { out.scalars[i] = $0 }) { Double(loss.loss(out, targets)) }
            #expect(relativeError(g.scalars[i], numeric) < relativeBound,
                    "\(loss.name)[\(i)]: analytic \(g.scalars[i]) numeric \(numeric)")
        }
    }

    @Test func meanSquaredError() throws {
        check(MeanSquaredError(), output: randomInput([4, 2], seed: 5), targets: randomInput([4, 2], seed: 6))
    }

    @Test func binaryCrossEntropy() throws {
        check(BinaryCrossEntropy(), output: randomInput([6, 1], seed: 7),
              targets: try Tensor(shape: [6, 1], scalars: [0, 1, 1, 0, 1, 0]))
    }

    @Test func softmaxCrossEntropy() throws {
        check(SoftmaxCrossEntropy(), output: randomInput([4, 3], seed: 8),
              targets: try Tensor(shape: [4, 1], scalars: [0, 2, 1, 2]))
    }

    @Test func hingeAwayFromTheKink() throws {
        // Scores with |1 − t s| > ε so the subgradient is the derivative.
        check(Hinge(), output: try Tensor(shape: [4, 1], scalars: [0.3, -2, 1.7, -0.4]),
              targets: try Tensor(shape: [4, 1], scalars: [1, 0, 0, 1]))
    }

    @Test func binaryCrossEntropyIsFiniteForLargeLogits() throws {
        let z = try Tensor(shape: [4, 1], scalars: [100, -100, 100, -100])
        let t = try Tensor(shape: [4, 1], scalars: [1, 0, 0, 1])
        var g = Tensor(shape: [0])
        let value = BinaryCrossEntropy().loss(z, t, gradient: &g)
        #expect(value.isFinite && g.isFinite)
        #expect(abs(value - 50) < 1e-3)   // two right, two wrong by a logit of 100: (0+0+100+100)/4
    }

    @Test func softmaxCrossEntropyIsFiniteForLargeLogits() throws {
        let z = try Tensor(shape: [2, 3], scalars: [1000, -1000, 0, -1000, 1000, 0])
        let t = try Tensor(shape: [2, 1], scalars: [0, 0])
        var g = Tensor(shape: [0])
        let value = SoftmaxCrossEntropy().loss(z, t, gradient: &g)
        #expect(value.isFinite && g.isFinite)
        #expect(abs(value - 1000) < 1e-2)
    }
}

@Suite struct RegularizerGradientTests {
    @Test(arguments: [Regularizer.l1(0.1), Regularizer.l2(0.1)])
    func penaltyGradient(_ r: Regularizer) throws {
        let p = Parameter(name: "w", value: randomInput([3, 4], seed: 9), isRegularized: true)
        let b = Parameter(name: "b", value: randomInput([4], seed: 10), isRegularized: false)
        r.addGradient([p, b])
        #expect(b.gradient.scalars.allSatisfy { $0 == 0 })
        for i in 0..<p.value.count {
            let numeric = GradientCheck.numeric(at: p.value.scalars[i], set: { p.value.scalars[i] = $0 }) { Double(r.penalty([p, b])) }
            #expect(relativeError(p.gradient.scalars[i], numeric) < relativeBound)
        }
    }
}
