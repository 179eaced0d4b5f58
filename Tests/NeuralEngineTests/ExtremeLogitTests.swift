import Testing
import TensorCore
@testable import NeuralEngine

/// Logits of ±1e4 (a model pushed far by a large rate) give finite losses and gradients for
/// every loss: the folded sigmoid and softmax compute log-probabilities without overflow.
@Suite struct ExtremeLogitTests {
    static let extremes: [Float] = [1e4, -1e4, 0, 3e4, -3e4]

    @Test(arguments: LossKind.allCases)
    func extremeOutputsGiveFiniteLosses(_ kind: LossKind) throws {
        let loss = kind.makeLoss()
        let n = Self.extremes.count
        let (output, targets): (Tensor, Tensor)
        switch kind {
        case .ce:   // three classes, the extreme logit on the right class and on a wrong one
            output = try Tensor(shape: [n, 3], scalars: Self.extremes.flatMap { [$0, -$0, 0] })
            targets = try Tensor(shape: [n, 1], scalars: (0..<n).map { Float(($0 + 1) % 3) })
        default:
            output = try Tensor(shape: [n, 1], scalars: Self.extremes)
            targets = try Tensor(shape: [n, 1], scalars: (0..<n).map { Float($0 % 2) })
        }
        try loss.validate(outputColumns: output.shape[1], targets: targets)
        var gradient = Tensor(shape: [0])
        let value = loss.loss(output, targets, gradient: &gradient)
        #expect(value.isFinite, "\(kind): loss \(value)")
        #expect(value >= 0)
        #expect(gradient.scalars.allSatisfy { $0.isFinite }, "\(kind): gradient \(gradient.scalars)")
        if kind != .mse {   // a confident wrong answer costs about its margin, not infinity
            #expect(value > 1e3, "\(kind): \(value)")
        }
    }
}
