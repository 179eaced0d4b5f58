import Testing
import TensorCore
import Datasets
@testable import NeuralEngine

/// The embedding's touched-row shortcut (clearing, gradient norm and Adam over the looked-up
/// rows only) must give exactly the numbers of the dense path.
@Suite struct TouchedRowsTests {
    @Test func theTouchedRowsAreExactlyTheNonZeroRowsAcrossBatches() throws {
        let layer = try Embedding(vocabulary: 9, dimension: 3)
        var rng = SeededGenerator(seed: 2)
        _ = try layer.build(inputShape: [4], rng: &rng)
        var y = Tensor(shape: [0]), dx = Tensor(shape: [0])
        for ids: [Float] in [[1, 4, 4, 0, 7, 2, 0, 0], [3, 3, 8, 1, 0, 0, 0, 0]] {
            let x = try Tensor(shape: [2, 4], scalars: ids)
            layer.forward(x, into: &y, training: true)
            layer.backward(x, y, Tensor(shape: y.shape, repeating: 1), into: &dx, needsInputGradient: false)
            let expected = Set(ids.map(Int.init).filter { $0 != 0 })
            let rows = try #require(layer.weight.touchedRows)
            #expect(rows.isComplete)
            #expect(Set(rows.rows.map(Int.init)) == expected)
            for r in 0..<9 {
                let row = (0..<3).map { layer.weight.gradient[r, $0] }
                let count = Float(ids.filter { Int($0) == r }.count)
                #expect(row == (expected.contains(r) ? [count, count, count] : [0, 0, 0]), "row \(r) after \(ids)")
                #expect(rows.isTouched[r] == expected.contains(r))
            }
        }
    }

    /// The same text classifier trained twice from the same seed: once on the shortcut, once with
    /// an L2 penalty of strength 0, which adds nothing but marks every row as written, so the
    /// norm, the clearing and Adam take the dense path. Weights must agree bit for bit.
    @Test func shortcutAndDensePathTrainIdentically() throws {
        let data = try Dataset.reviews()
        guard case let .tokens(vocabulary, _) = data.kind else { Issue.record("not tokens"); return }
        func trainer(denseFallback: Bool) throws -> Trainer {
            let t = try Trainer(model: Sequential(try Presets.textClassifier(vocabulary: vocabulary.count)),
                                loss: BinaryCrossEntropy(), optimizer: Adam(learningRate: 0.01),
                                x: data.features, y: data.targets, classes: 2, batchSize: 16,
                                rng: SeededGenerator(seed: 11))
            if denseFallback { t.regularizer = .l2(0) }
            return t
        }
        let sparse = try trainer(denseFallback: false), dense = try trainer(denseFallback: true)
        for step in 0..<40 {
            let a = sparse.trainStep(), b = dense.trainStep()
            #expect(a.loss == b.loss, "loss at step \(step)")
            #expect(abs(a.gradientNorm - b.gradientNorm) <= 1e-6 * b.gradientNorm, "gradient norm at step \(step)")
        }
        let embedding = try #require(sparse.model.layers[0] as? Embedding)
        #expect(embedding.weight.touchedRows?.isComplete == true, "the shortcut was taken")
        for (p, q) in zip(sparse.model.parameters, dense.model.parameters) {
            #expect(p.value.scalars == q.value.scalars, "parameter \(p.name)")
        }
    }
}
