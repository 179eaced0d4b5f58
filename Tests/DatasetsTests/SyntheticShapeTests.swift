import Datasets
import TensorCore
import Testing

@Suite("Synthetic data: shapes, determinism, balance")
struct SyntheticShapeTests {
    @Test("every kind has the documented shapes, names and task", arguments: SyntheticKind.allCases)
    func shapes(kind: SyntheticKind) throws {
        let data = try generate(kind)
        let n = kind.defaultCount, d = kind.featureCount
        #expect(data.name == kind.rawValue)
        #expect(data.count == n)
        #expect(data.features.shape == [n, d])
        #expect(data.targets.shape == [n, 1])
        #expect(data.featureNames.count == d)
        #expect(data.features.isFinite && data.targets.isFinite)
        if kind.isClassification {
            let k = kind == .blobs ? 3 : 2
            #expect(data.task == .classification(classes: k))
            #expect(data.classNames == (0..<k).map(String.init))
        } else {
            #expect(data.task == .regression)
            #expect(data.classNames.isEmpty)
        }
    }

    @Test("the same seed gives identical tensors", arguments: SyntheticKind.allCases)
    func sameSeed(kind: SyntheticKind) throws {
        let a = try generate(kind, seed: 7), b = try generate(kind, seed: 7)
        #expect(a.features == b.features)
        #expect(a.targets == b.targets)
        #expect(a == b)
    }

    @Test("a different seed gives different data", arguments: SyntheticKind.allCases)
    func differentSeed(kind: SyntheticKind) throws {
        let a = try generate(kind, seed: 7), b = try generate(kind, seed: 8)
        #expect(a.features != b.features)
    }

    @Test("noise only adds jitter: the same seed with noise 0 draws the same clean points")
    func noiseKeepsCleanPoints() throws {
        let clean = try generate(.linear, noise: 0), noisy = try generate(.linear, noise: 0.3)
        #expect(clean.features == noisy.features)
        #expect(clean.targets != noisy.targets)
    }

    @Test("classes are balanced and labels are class indices",
          arguments: [SyntheticKind.circle, .xor, .gauss, .spiral, .moons], [400, 401, 2, 37])
    func balancedTwoClass(kind: SyntheticKind, n: Int) throws {
        let data = try generate(kind, n: n)
        #expect(data.targets.scalars.allSatisfy { $0 == 0 || $0 == 1 })
        let counts = classCounts(data.labels, classes: 2)
        #expect(counts.reduce(0, +) == n)
        #expect(counts.max()! - counts.min()! <= 1)
    }

    @Test("blobs balances every class count from 2 to 10", arguments: 2...10)
    func balancedBlobs(classes k: Int) throws {
        let data = try generate(.blobs, n: 403, classes: k)
        #expect(data.task == .classification(classes: k))
        #expect(data.labels.allSatisfy { (0..<k).contains($0) })
        let counts = classCounts(data.labels, classes: k)
        #expect(counts.max()! - counts.min()! <= 1)
        #expect(counts.min()! >= 1)
    }

    @Test("classification rows are shuffled, not grouped by class")
    func rowsShuffled() throws {
        let labels = try generate(.spiral).labels
        #expect(Set(labels[..<50]).count == 2)
        #expect(labels != labels.sorted())
    }

    @Test("a summary line names the set, points, features and classes")
    func summaries() throws {
        #expect(try generate(.spiral).summary == "spiral  400 pts · 2 features · 2 classes")
        #expect(try generate(.blobs, classes: 4).summary == "blobs  400 pts · 2 features · 4 classes")
        #expect(try generate(.linear).summary == "linear  100 pts · 1 feature · regression")
    }

    @Test("defaults per kind")
    func defaults() {
        let counts = SyntheticKind.allCases.map(\.defaultCount)
        #expect(counts == [400, 400, 400, 400, 400, 400, 100, 200, 200])
        #expect(SyntheticKind.allCases.allSatisfy { $0.defaultNoise == 0.1 })
    }
}
