import Datasets
import TensorCore
import Testing

@Suite("Train/validation split")
struct SplitTests {
    @Test("each class is split in the requested proportion", arguments: [0.8, 0.5, 0.3, 0.9])
    func stratified(fraction: Double) throws {
        let data = try generate(.blobs, n: 301, classes: 4)
        var rng = SeededGenerator(seed: 11)
        let (train, validation) = try data.split(trainFraction: fraction, rng: &rng)
        #expect(train.count + validation.count == data.count)
        #expect(abs(Double(train.count) - Double(data.count) * fraction) <= 1)
        let all = classCounts(data.labels, classes: 4), inTrain = classCounts(train.labels, classes: 4)
        for c in 0..<4 { #expect(abs(Double(inTrain[c]) - Double(all[c]) * fraction) < 1) }
    }

    @Test("the two sides partition the rows")
    func partition() throws {
        let data = try generate(.spiral)
        var rng = SeededGenerator(seed: 5)
        let (train, validation) = try data.splitIndices(trainFraction: 0.75, rng: &rng)
        #expect((train + validation).sorted() == Array(0..<data.count))
        #expect(train == train.sorted() && validation == validation.sorted())
        #expect(train.count == 300)
    }

    @Test("subsets carry the rows they name")
    func rowsFollowIndices() throws {
        let data = try generate(.moons, n: 50)
        var rng = SeededGenerator(seed: 5)
        let indices = try data.splitIndices(trainFraction: 0.6, rng: &rng)
        var again = SeededGenerator(seed: 5)
        let (train, _) = try data.split(trainFraction: 0.6, rng: &again)
        #expect(train.features == data.features.gatherRows(indices.train))
        #expect(train.targets == data.targets.gatherRows(indices.train))
        #expect(train.classNames == data.classNames && train.name == data.name)
    }

    @Test("a class with two or more samples lands on both sides, even at extreme fractions")
    func smallClassesOnBothSides() throws {
        let x = Tensor(shape: [7, 1], repeating: 0)
        let y = try Tensor(shape: [7, 1], scalars: [0, 0, 0, 0, 0, 1, 1])
        let data = try Dataset(name: "tiny", features: x, targets: y, task: .classification(classes: 2))
        for fraction in [0.05, 0.5, 0.95] {
            var rng = SeededGenerator(seed: 2)
            let (train, validation) = try data.split(trainFraction: fraction, rng: &rng)
            #expect(train.labels.contains(1) && validation.labels.contains(1))
            #expect(train.labels.contains(0) && validation.labels.contains(0))
        }
    }

    @Test("regression splits a shuffled round(n·fraction)")
    func regression() throws {
        let data = try generate(.linear, n: 100)
        var rng = SeededGenerator(seed: 9)
        let (train, validation) = try data.splitIndices(trainFraction: 0.8, rng: &rng)
        #expect(train.count == 80 && validation.count == 20)
        #expect(validation != Array(80..<100))
    }

    @Test("the smallest split keeps one sample on each side")
    func smallest() throws {
        let data = try generate(.sine, n: 2)
        var rng = SeededGenerator(seed: 1)
        let (train, validation) = try data.split(trainFraction: 0.99, rng: &rng)
        #expect(train.count == 1 && validation.count == 1)
    }

    @Test("the same seed gives the same split; another seed a different one")
    func deterministic() throws {
        let data = try generate(.xor)
        var a = SeededGenerator(seed: 4), b = SeededGenerator(seed: 4), c = SeededGenerator(seed: 5)
        let first = try data.splitIndices(trainFraction: 0.8, rng: &a)
        let second = try data.splitIndices(trainFraction: 0.8, rng: &b)
        let third = try data.splitIndices(trainFraction: 0.8, rng: &c)
        #expect(first.train == second.train)
        #expect(first.train != third.train)
    }
}
