import Testing
import TensorCore
@testable import NeuralEngine

/// A layer far too large (a model file can ask for any size) is refused when it is made, with
/// its size, before any of it is allocated: no crash from an allocation of terabytes.
@Suite struct ModelLimitsTests {
    @Test func hugeLayersAreRefusedBeforeAllocating() {
        #expect(throws: ModelError.self) { try Dense(units: Int.max) }
        #expect(throws: ModelError.self) { try Dense(units: ModelLimits.maxTensorValues + 1) }
        #expect(throws: ModelError.self) { try SimpleRNN(units: 1 << 20) }
        #expect(throws: ModelError.self) { try Conv2D(filters: 1 << 30, kernel: (3, 3)) }
        #expect(throws: Never.self) { try Dense(units: 1000) }
    }

    /// A shape whose dimensions multiply past Int.max (a model file's input shape, or a tensor
    /// in its optimizer state) is an error, never an overflow trap.
    @Test func shapesThatOverflowAreErrors() throws {
        var rng = SeededGenerator(seed: 1)
        let model = try Sequential([.flatten, .dense(units: 2, activation: .linear)])
        #expect(throws: ModelError.self) { try model.build(inputShape: [1 << 40, 1 << 40, 3], rng: &rng) }
        #expect(throws: (any Error).self) { try Tensor(shape: [1 << 40, 1 << 40, 3], scalars: []) }
        #expect(throws: (any Error).self) { try Tensor(shape: [-1, -2], scalars: [1, 2]) }
    }
}
