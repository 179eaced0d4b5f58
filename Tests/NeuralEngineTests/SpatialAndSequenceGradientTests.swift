import Foundation
import Testing
import TensorCore
@testable import NeuralEngine

/// Distinct values 0.05 apart in a seeded random order, shaped `shape`.
func spreadInput(_ shape: [Int], seed: UInt64) -> Tensor {
    var g = SeededGenerator(seed: seed)
    var values = (0..<shape.reduce(1, *)).map { Float($0) * 0.05 - 1 }
    values.shuffle(using: &g)
    return try! Tensor(shape: shape, scalars: values)
}

@Suite struct SpatialGradientTests {
    struct ConvCase: Sendable, CustomTestStringConvertible {
        var kernel: (Int, Int), stride: (Int, Int), padding: Padding, activation: Activation
        var testDescription: String { "\(kernel) s\(stride) \(padding) \(activation)" }
    }

    @Test(arguments: [
        ConvCase(kernel: (3, 3), stride: (1, 1), padding: .valid, activation: .linear),
        ConvCase(kernel: (3, 3), stride: (1, 1), padding: .same, activation: .tanh),
        ConvCase(kernel: (2, 3), stride: (2, 2), padding: .same, activation: .sigmoid),
        ConvCase(kernel: (3, 2), stride: (2, 1), padding: .valid, activation: .tanh),
    ])
    func conv2D(_ c: ConvCase) throws {
        let layer = try Conv2D(filters: 3, kernel: c.kernel, stride: c.stride, padding: c.padding,
                               activation: c.activation)
        try checkGradients(layer, x: randomInput([2, 5, 6, 2], seed: 11), inputShape: [5, 6, 2])
    }

    @Test func convolutionMatchesTheDefinitionAndKerasKernelLayout() throws {
        // One 3×3 kernel over a 4×4 single-channel image: y[r, c] = Σ K[ky, kx] x[r+ky, c+kx] + b.
        let layer = try Conv2D(filters: 1, kernel: (3, 3))
        var rng = SeededGenerator(seed: 1)
        #expect(try layer.build(inputShape: [4, 4, 1], rng: &rng) == [2, 2, 1])
        layer.bias.value.scalars[0] = 0.5
        let x = spreadInput([1, 4, 4, 1], seed: 2)
        var y = Tensor(shape: [0])
        layer.forward(x, into: &y, training: false)
        for r in 0..<2 {
            for c in 0..<2 {
                var expected: Float = 0.5
                for ky in 0..<3 { for kx in 0..<3 { expected += layer.weight.value[ky * 3 + kx, 0] * x[0, r + ky, c + kx, 0] } }
                #expect(abs(y[0, r, c, 0] - expected) < 1e-5)
            }
        }
    }

    @Test func samePaddingKeepsTheSizeAtStrideOne() throws {
        var rng = SeededGenerator(seed: 1)
        #expect(try Conv2D(filters: 4, kernel: (3, 3), padding: .same).build(inputShape: [7, 5, 2], rng: &rng) == [7, 5, 4])
        #expect(try Conv2D(filters: 4, kernel: (3, 3), stride: (2, 2), padding: .same)
            .build(inputShape: [7, 5, 2], rng: &rng) == [4, 3, 4])
        #expect(throws: ModelError.self) { try Conv2D(filters: 4, kernel: (3, 3)).build(inputShape: [2, 5, 1], rng: &rng) }
        #expect(throws: ModelError.self) { try Conv2D(filters: 4, kernel: (3, 3)).build(inputShape: [25], rng: &rng) }
        #expect(throws: ModelError.self) { try Conv2D(filters: 0, kernel: (3, 3)) }
    }

    @Test func maxPool() throws {
        try checkGradients(try MaxPool2D(), x: spreadInput([2, 5, 4, 3], seed: 12), inputShape: [5, 4, 3])
        try checkGradients(try MaxPool2D(pool: (3, 3), stride: (1, 1)), x: spreadInput([2, 4, 4, 2], seed: 13),
                           inputShape: [4, 4, 2])
    }

    @Test func maxPoolSendsATiedGradientToTheFirstMaximum() throws {
        let layer = try MaxPool2D()
        var rng = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [2, 2, 1], rng: &rng)
        let x = try Tensor(shape: [1, 2, 2, 1], scalars: [1, 3, 3, 2])
        var y = Tensor(shape: [0]), dx = Tensor(shape: [0])
        layer.forward(x, into: &y, training: true)
        #expect(y.scalars == [3])
        layer.backward(x, y, try Tensor(shape: [1, 1, 1, 1], scalars: [5]), into: &dx, needsInputGradient: true)
        #expect(dx.scalars == [0, 5, 0, 0])
    }

    @Test func flatten() throws {
        try checkGradients(Flatten(), x: randomInput([2, 3, 2, 2], seed: 14), inputShape: [3, 2, 2])
    }
}

@Suite struct SequenceGradientTests {
    @Test(arguments: [false, true])
    func simpleRNN(returnSequences: Bool) throws {
        let x = randomInput([3, 4, 2], seed: 15).map { $0 * 0.5 }
        try checkGradients(try SimpleRNN(units: 5, returnSequences: returnSequences), x: x, inputShape: [4, 2])
    }

    @Test func simpleRNNOfOneStepIsADenseTanhLayer() throws {
        let rnn = try SimpleRNN(units: 3)
        var rng = SeededGenerator(seed: 3)
        _ = try rnn.build(inputShape: [1, 2], rng: &rng)
        let x = randomInput([4, 1, 2], seed: 16)
        var y = Tensor(shape: [0])
        rnn.forward(x, into: &y, training: false)
        let expected = try matmul(x.reshaped(to: [4, 2]), rnn.weight.value).map { tanh($0) }
        #expect(zip(y.scalars, expected.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func recurrentKernelStartsOrthogonal() throws {
        var rng = SeededGenerator(seed: 4)
        let r = SimpleRNN.orthogonal(6, rng: &rng)
        let product = try matmul(r, r, transposeB: true)
        for i in 0..<6 { for j in 0..<6 { #expect(abs(product[i, j] - (i == j ? 1 : 0)) < 1e-5) } }
    }

    /// Token ids in 0..<6 with some padding.
    static let ids = try! Tensor(shape: [3, 5], scalars: [3, 1, 4, 0, 0,  5, 5, 2, 3, 1,  0, 0, 0, 0, 0])

    @Test func embeddingWeightGradientAndNoGradientForPadding() throws {
        // Without padding every row is a free parameter: the full finite-difference check.
        try checkGradients(try Embedding(vocabulary: 6, dimension: 4), x: Self.ids.map { max($0, 1) },
                           inputShape: [5], checkInput: false)
        // With padding, row 0 is held at zero by design: it gets no gradient, unlike a free row.
        let layer = try Embedding(vocabulary: 6, dimension: 4)
        var rng = SeededGenerator(seed: 1)
        _ = try layer.build(inputShape: [5], rng: &rng)
        var y = Tensor(shape: [0]), dx = Tensor(shape: [0])
        layer.forward(Self.ids, into: &y, training: true)
        layer.backward(Self.ids, y, Tensor(shape: y.shape, repeating: 1), into: &dx, needsInputGradient: false)
        #expect(layer.weight.gradient[5, 0] == 2, "id 5 occurs twice")
        #expect(layer.weight.value.scalars[0..<4].allSatisfy { $0 == 0 }, "the padding row starts at zero")
        #expect(layer.weight.gradient.scalars[0..<4].allSatisfy { $0 == 0 }, "and never gets a gradient")
    }

    @Test(arguments: [false, true])
    func globalAveragePooling(masked: Bool) throws {
        let mask = masked ? PaddingMask() : nil
        mask?.valid = try Tensor(shape: [3, 5], scalars: Self.ids.scalars.map { $0 == 0 ? 0 : 1 })
        try checkGradients(GlobalAveragePooling1D(mask: mask), x: randomInput([3, 5, 4], seed: 17), inputShape: [5, 4])
    }

    @Test func paddingDoesNotChangeTheTextClassifiersOutput() throws {
        func output(length: Int) throws -> Tensor {
            let model = try Sequential(try Presets.textClassifier(vocabulary: 8))
            var rng = SeededGenerator(seed: 5)
            try model.build(inputShape: [length], rng: &rng)
            var x = Tensor(shape: [2, length])
            for (t, id) in [4, 7, 2].enumerated() { x[0, t] = Float(id) }
            x[1, 0] = 6
            return try model.predict(x)
        }
        let short = try output(length: 3), long = try output(length: 12)
        #expect(zip(short.scalars, long.scalars).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
