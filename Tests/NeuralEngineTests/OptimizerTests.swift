import Testing
import TensorCore
import Foundation
@testable import NeuralEngine

/// One update on the quadratic L(w) = ½ w², whose gradient is g = w, starting at w₀ = 2
/// (and a second scalar at −1), compared with the update computed by hand from each formula.
@Suite struct OptimizerTests {
    func parameter() -> Parameter {
        let p = Parameter(name: "w", value: try! Tensor(shape: [2], scalars: [2, -1]), isRegularized: true)
        p.gradient = p.value   // g = w for L = ½ w²
        return p
    }

    func step(_ opt: any Optimizer, _ p: Parameter, lr: Float) {
        p.gradient = p.value
        opt.update([p], learningRate: lr)
    }

    func near(_ a: Float, _ b: Double) -> Bool { abs(Double(a) - b) < 1e-6 }

    @Test func sgd() {
        let p = parameter()
        SGD().update([p], learningRate: 0.1)
        #expect(near(p.value.scalars[0], 2 - 0.1 * 2) && near(p.value.scalars[1], -1 + 0.1))
    }

    @Test func momentumTwoSteps() {
        let p = parameter(), opt = Momentum(momentum: 0.9)
        step(opt, p, lr: 0.1)              // v = 2, w = 2 − 0.2 = 1.8
        #expect(near(p.value.scalars[0], 1.8))
        step(opt, p, lr: 0.1)                      // v = 0.9·2 + 1.8 = 3.6, w = 1.8 − 0.36 = 1.44
        #expect(near(p.value.scalars[0], 1.44))
    }

    @Test func nesterov() {
        let p = parameter(), opt = Nesterov(momentum: 0.9)
        step(opt, p, lr: 0.1)                      // v = 2, w = 2 − 0.1 (2 + 0.9·2) = 1.62
        #expect(near(p.value.scalars[0], 1.62))
    }

    @Test func rmsprop() {
        let p = parameter(), opt = RMSprop(rho: 0.9, epsilon: 1e-7)
        step(opt, p, lr: 0.01)                      // s = 0.1·4 = 0.4, w = 2 − 0.01·2/(√0.4 + 1e-7)
        #expect(near(p.value.scalars[0], 2 - 0.01 * 2 / (0.4.squareRoot() + 1e-7)))
    }

    @Test func adagrad() {
        let p = parameter(), opt = Adagrad(epsilon: 1e-7)
        step(opt, p, lr: 0.1)                      // s = 4, w = 2 − 0.1·2/(2 + 1e-7)
        #expect(near(p.value.scalars[0], 2 - 0.1 * 2 / (2 + 1e-7)))
    }

    @Test func adamBiasCorrectionAtSteps1And2() {
        let p = parameter(), opt = Adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-7)
        // Step 1: m = 0.2, v = 0.004; m̂ = 2, v̂ = 4 → w = 2 − 0.1·2/(2 + 1e-7) ≈ 1.9
        step(opt, p, lr: 0.1)
        let w1 = 2 - 0.1 * 2 / (2 + 1e-7)
        #expect(near(p.value.scalars[0], w1))
        // Step 2: g = w1; m = 0.9·0.2 + 0.1 g; v = 0.999·0.004 + 0.001 g²
        let g = w1
        let m = 0.9 * 0.2 + 0.1 * g, v = 0.999 * 0.004 + 0.001 * g * g
        let mHat = m / (1 - 0.81), vHat = v / (1 - 0.999 * 0.999)
        step(opt, p, lr: 0.1)
        #expect(abs(Double(p.value.scalars[0]) - (w1 - 0.1 * mHat / (vHat.squareRoot() + 1e-7))) < 1e-5)
    }

    @Test func adamWDecaysWeightsNotBiases() {
        let w = parameter()
        let b = Parameter(name: "b", value: try! Tensor(shape: [1], scalars: [2]), isRegularized: false)
        b.gradient = b.value
        let opt = AdamW(weightDecay: 0.5)
        opt.update([w, b], learningRate: 0.1)
        // Both see the same Adam step −0.1·(2/(2+1e-7)); only w also loses 0.1·0.5·2 = 0.1.
        let adam = 0.1 * 2 / (2 + 1e-7)
        #expect(near(w.value.scalars[0], 2 - adam - 0.1))
        #expect(near(b.value.scalars[0], 2 - adam))
    }

    @Test func learningRateChangesBetweenSteps() {
        let p = parameter(), opt = SGD()
        step(opt, p, lr: 0.1)              // 1.8
        step(opt, p, lr: 0.5)              // 1.8 − 0.5·1.8 = 0.9
        #expect(near(p.value.scalars[0], 0.9))
    }

    /// Each config builds its optimizer with its settings; a setting it lacks is refused by name.
    @Test func optimizerConfigsBuildTheirOptimizers() throws {
        for kind in OptimizerKind.allCases {
            let config = OptimizerConfig(kind)
            let optimizer = config.makeOptimizer()
            #expect(config.learningRate == 0.01 && config.kind == kind && optimizer.updates == 0)
            #expect(config.updateRule == type(of: optimizer).updateRule)
        }
        var momentum = OptimizerConfig(.momentum)
        try momentum.set(.momentum, 0.5)
        try momentum.set(.lr, 0.2)
        #expect(momentum == .momentum(lr: 0.2, momentum: 0.5))
        #expect((momentum.makeOptimizer() as? Momentum)?.mu == 0.5)
        var adam = OptimizerConfig(.adamw)
        try adam.set(.beta2, 0.99)
        #expect(adam == .adamw(lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-7, decay: 0.004))
        var sgd = OptimizerConfig(.sgd)
        #expect(throws: ModelError.self) { try sgd.set(.beta1, 0.9) }
        #expect(sgd == OptimizerConfig(.sgd), "unchanged after a refused setting")
        #expect(OptimizerConfig(.nesterov).updateRule != OptimizerConfig(.momentum).updateRule)
    }

    /// A config survives JSON unchanged (what a saved model records).
    @Test func optimizerConfigsRoundTripThroughJSON() throws {
        for kind in OptimizerKind.allCases {
            var config = OptimizerConfig(kind)
            config.learningRate = 0.0375
            let data = try JSONEncoder().encode(config)
            #expect(try JSONDecoder().decode(OptimizerConfig.self, from: data) == config)
        }
    }

    @Test func schedules() {
        #expect(Schedule.constant.rate(base: 0.1, update: 50, total: 100) == 0.1)
        #expect(abs(Schedule.step(every: 10, gamma: 0.5).rate(base: 0.1, update: 25, total: 100) - 0.025) < 1e-7)
        #expect(abs(Schedule.cosine.rate(base: 0.1, update: 50, total: 100) - 0.05) < 1e-6)
        #expect(Schedule.cosine.rate(base: 0.1, update: 100, total: 100) < 1e-8)
        let peak = Schedule.oneCycle.rate(base: 0.1, update: 30, total: 100)
        #expect(abs(peak - 0.1) < 1e-6 && Schedule.oneCycle.rate(base: 0.1, update: 0, total: 100) < 0.01)
    }
}
