import Testing
import TensorCore
@testable import NeuralEngine

/// The same finite-difference checks at widths past the 8-lane SIMD kernels (9–19 channels or
/// units, so full vectors and a remainder both run): the narrow checks elsewhere use 2–5 and
/// only reach the scalar tails.
@Suite struct WideGradientTests {
    @Test(arguments: [Activation.tanh, .sigmoid, .gelu, .softmax])
    func denseWide(_ f: Activation) throws {
        try checkLayer(Dense(units: 19, activation: f), inputShape: [11], batch: 2)
    }

    /// ReLU at this width is checked exactly rather than by finite differences: with 38
    /// pre-activations, ±ε on an input moves some of them across the kink at 0.
    @Test func denseWideReLUMatchesItsDefinition() throws {
        let layer = try Dense(units: 19, activation: .relu)
        var rng = SeededGenerator(seed: 5)
        _ = try layer.build(inputShape: [11], rng: &rng)
        let x = randomInput([2, 11], seed: 6), dy = randomInput([2, 19], seed: 7)
        var y = Tensor(shape: [0]), dx = Tensor(shape: [0])
        layer.forward(x, into: &y, training: true)
        layer.backward(x, y, dy, into: &dx, needsInputGradient: true)
        let w = layer.weight.value.scalars, b = layer.bias.value.scalars
        for r in 0..<2 {
            var dz = [Float](repeating: 0, count: 19)
            for j in 0..<19 {
                var z = b[j]
                for i in 0..<11 { z += x.scalars[r * 11 + i] * w[i * 19 + j] }
                #expect(abs(y.scalars[r * 19 + j] - max(0, z)) < 1e-5)
                dz[j] = z > 0 ? dy.scalars[r * 19 + j] : 0
            }
            for i in 0..<11 {
                let expected = (0..<19).reduce(Float(0)) { $0 + dz[$1] * w[i * 19 + $1] }
                #expect(abs(dx.scalars[r * 11 + i] - expected) < 1e-4)
            }
        }
    }

    @Test func conv2DWide() throws {
        let layer = try Conv2D(filters: 9, kernel: (3, 3), stride: (1, 1), padding: .same, activation: .tanh)
        try checkGradients(layer, x: randomInput([1, 4, 4, 3], seed: 21), inputShape: [4, 4, 3])
    }

    @Test func maxPoolWide() throws {
        try checkGradients(try MaxPool2D(), x: spreadInput([1, 4, 4, 11], seed: 22), inputShape: [4, 4, 11])
    }

    @Test func simpleRNNWide() throws {
        let x = randomInput([2, 3, 9], seed: 23).map { $0 * 0.3 }
        try checkGradients(try SimpleRNN(units: 11, returnSequences: true), x: x, inputShape: [3, 9])
    }
}
