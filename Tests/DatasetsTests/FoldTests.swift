import Datasets
import TensorCore
import Testing

@Suite("K-fold cross-validation")
struct FoldTests {
    @Test("validation folds partition the indices and train is the complement",
          arguments: [SyntheticKind.circle, .blobs, .plane], [2, 5, 7])
    func partition(kind: SyntheticKind, k: Int) throws {
        let data = try generate(kind, n: 103)
        var rng = SeededGenerator(seed: 8)
        let folds = try data.stratifiedFolds(k: k, rng: &rng)
        #expect(folds.count == k)
        let validation = folds.flatMap(\.validation)
        #expect(validation.sorted() == Array(0..<data.count))
        for fold in folds {
            #expect((fold.train + fold.validation).sorted() == Array(0..<data.count))
            #expect(abs(Double(fold.validation.count) - Double(data.count) / Double(k)) < 1)
        }
    }

    @Test("every fold holds each class within one of its share", arguments: [3, 5, 10])
    func stratified(k: Int) throws {
        let data = try generate(.blobs, n: 157, classes: 5)
        var rng = SeededGenerator(seed: 12)
        let folds = try data.stratifiedFolds(k: k, rng: &rng)
        let all = classCounts(data.labels, classes: 5)
        for fold in folds {
            let inFold = classCounts(fold.validation.map { data.labels[$0] }, classes: 5)
            for c in 0..<5 { #expect(abs(Double(inFold[c]) - Double(all[c]) / Double(k)) < 1) }
        }
    }

    @Test("k = n is leave-one-out")
    func leaveOneOut() throws {
        let data = try generate(.moons, n: 12)
        var rng = SeededGenerator(seed: 1)
        let folds = try data.stratifiedFolds(k: 12, rng: &rng)
        #expect(folds.allSatisfy { $0.validation.count == 1 && $0.train.count == 11 })
    }

    @Test("regression folds are shuffled, not contiguous blocks")
    func regressionShuffled() throws {
        let data = try generate(.linear, n: 100)
        var rng = SeededGenerator(seed: 1)
        let folds = try data.stratifiedFolds(k: 5, rng: &rng)
        #expect(folds[0].validation != Array(0..<20))
    }

    @Test("the same seed gives the same folds")
    func deterministic() throws {
        let data = try generate(.spiral)
        var a = SeededGenerator(seed: 4), b = SeededGenerator(seed: 4)
        let first = try data.stratifiedFolds(k: 5, rng: &a), second = try data.stratifiedFolds(k: 5, rng: &b)
        #expect(first.map(\.validation) == second.map(\.validation))
    }
}
