import Testing
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
}
