import Datasets
import TensorCore
import Testing

@Suite("Validation: every bad option names its field and what was expected")
struct ValidationErrorTests {
    private func syntheticError(_ kind: SyntheticKind, n: Int? = nil, noise: Double? = nil,
                                classes: Int = 3) -> DatasetError? {
        datasetError { () throws(DatasetError) in
            var rng = SeededGenerator(seed: 1)
            _ = try Dataset.synthetic(kind, options: SyntheticOptions(n: n, noise: noise, classes: classes),
                                      rng: &rng)
        }
    }

    @Test("n below 2 or above the maximum", arguments: [1, 0, -5, 1_000_001])
    func badCount(n: Int) {
        let error = syntheticError(.circle, n: n)
        #expect(error?.field == "n")
        #expect(error?.description == "n: expected an integer from 2 to 1000000, got \(n)")
    }

    @Test("n smaller than the number of blob classes")
    func countBelowClasses() {
        #expect(syntheticError(.blobs, n: 4, classes: 5)?.description
                == "n: expected at least 5 (one point per class), got 4")
    }

    @Test("negative noise", arguments: SyntheticKind.allCases)
    func negativeNoise(kind: SyntheticKind) {
        #expect(syntheticError(kind, noise: -1)?.description == "noise: expected a number ≥ 0, got -1")
    }

    @Test("non-finite noise")
    func nonFiniteNoise() {
        #expect(syntheticError(.spiral, noise: .nan)?.description == "noise: expected a number ≥ 0, got nan")
        #expect(syntheticError(.spiral, noise: .infinity)?.description
                == "noise: expected a finite number ≥ 0, got inf")
        #expect(syntheticError(.spiral, noise: -0.25)?.description == "noise: expected a number ≥ 0, got -0.25")
    }

    @Test("blob classes outside 2…10", arguments: [1, 0, 11, -3])
    func badBlobClasses(classes: Int) {
        #expect(syntheticError(.blobs, classes: classes)?.description
                == "classes: expected an integer from 2 to 10, got \(classes)")
    }

    @Test("other kinds ignore classes")
    func classesIgnoredElsewhere() {
        #expect(syntheticError(.circle, classes: 50) == nil)
    }

    @Test("the smallest valid options work", arguments: SyntheticKind.allCases)
    func smallest(kind: SyntheticKind) throws {
        let data = try generate(kind, n: 2, noise: 0, classes: 2)
        #expect(data.count == 2)
    }

    @Test("split fraction outside (0, 1)", arguments: [0, 1, 1.5, -0.2, Double.nan])
    func badFraction(fraction: Double) throws {
        let data = try generate(.circle, n: 20)
        let error = datasetError { () throws(DatasetError) in
            var rng = SeededGenerator(seed: 1)
            _ = try data.split(trainFraction: fraction, rng: &rng)
        }
        #expect(error?.field == "trainFraction")
        #expect(error?.description.hasPrefix("trainFraction: expected a number between 0 and 1 (exclusive), got ") == true)
    }

    @Test("split of a single sample")
    func splitTooSmall() throws {
        let data = try generate(.linear, n: 2).subset([0])
        let error = datasetError { () throws(DatasetError) in
            var rng = SeededGenerator(seed: 1)
            _ = try data.split(trainFraction: 0.5, rng: &rng)
        }
        #expect(error?.description == "dataset: expected at least 2 samples to split, got 1")
    }

    @Test("folds with k outside 2…n", arguments: [1, 0, 11])
    func badFoldCount(k: Int) throws {
        let data = try generate(.circle, n: 10)
        let error = datasetError { () throws(DatasetError) in
            var rng = SeededGenerator(seed: 1)
            _ = try data.stratifiedFolds(k: k, rng: &rng)
        }
        #expect(error?.description == "k: expected an integer from 2 to the number of samples (10), got \(k)")
    }

    @Test("a dataset built by hand is checked: shapes, names and labels")
    func handBuiltChecks() throws {
        let x = try Tensor(rows: [[0, 1], [2, 3]])
        let y = try Tensor(shape: [2, 1], scalars: [0, 1])
        let regression = try Tensor(shape: [2, 1], scalars: [0.5, 7])
        let threeTargets = try Tensor(shape: [3, 1], scalars: [0, 1, 0])
        func error(_ body: () throws(DatasetError) -> Dataset) -> String? {
            datasetError { () throws(DatasetError) in _ = try body() }?.description
        }
        #expect(error { () throws(DatasetError) in
            try Dataset(name: "t", features: x, targets: threeTargets, task: .classification(classes: 2))
        } == "targets: expected shape [2, 1], got shape [3, 1]")
        #expect(error { () throws(DatasetError) in
            try Dataset(name: "t", features: x, targets: y, task: .classification(classes: 2), featureNames: ["a"])
        } == "featureNames: expected 2 names, got 1")
        #expect(error { () throws(DatasetError) in
            try Dataset(name: "t", features: x, targets: regression, task: .classification(classes: 2))
        } == "targets: expected class indices 0…1, got 0.5 in row 0")
        #expect(error { () throws(DatasetError) in
            try Dataset(name: "t", features: x, targets: y, task: .classification(classes: 2), classNames: ["a"])
        } == "classNames: expected 2 names, got 1")
        #expect(error { () throws(DatasetError) in
            try Dataset(name: "t", features: Tensor(shape: [2, 2], repeating: .nan), targets: y, task: .regression)
        } == "features: expected finite numbers, got a non-finite value in row 0")
        #expect(error { () throws(DatasetError) in
            try Dataset(name: "t", features: x, targets: regression, task: .regression)
        } == nil)
    }
}
