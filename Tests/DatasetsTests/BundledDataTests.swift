import Datasets
import TensorCore
import Testing

@Suite("Bundled and generated data: shapes, kinds, determinism")
struct BundledDataTests {
    @Test func iris() throws {
        let data = try Dataset.iris()
        #expect(data.features.shape == [150, 4] && data.kind == .table && data.kind.standardizes)
        #expect(data.classNames == ["setosa", "versicolor", "virginica"])
        #expect(classCounts(data.labels, classes: 3) == [50, 50, 50])
        #expect(row(data.features, 0) == [5.1, 3.5, 1.4, 0.2])
    }

    @Test func digits() throws {
        let data = try Dataset.digits()
        #expect(data.features.shape == [1797, 8, 8, 1])
        #expect(data.kind == .image(height: 8, width: 8, channels: 1) && !data.kind.standardizes)
        #expect(data.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(classCounts(data.labels, classes: 10).allSatisfy { $0 >= 170 && $0 <= 190 })
        #expect(data.summary == "digits  1797 images 8×8 · 10 classes")
        // A stratified split keeps the image shape.
        var rng = SeededGenerator(seed: 1)
        let (train, validation) = try data.split(trainFraction: 0.8, rng: &rng)
        #expect(train.features.shape == [1438, 8, 8, 1] && validation.kind == data.kind)
    }

    @Test func reviewsAreDeterministicBalancedAndTokenized() throws {
        let a = try Dataset.reviews(), b = try Dataset.reviews()
        #expect(a == b)
        #expect(a.count == 2000 && a.features.shape == [2000, 24])
        guard case let .tokens(vocabulary, length) = a.kind else { Issue.record("kind \(a.kind)"); return }
        #expect(length == 24 && vocabulary.prefix(2) == ["<pad>", "<unk>"])
        let positives = a.labels.reduce(0, +)
        #expect(positives > 900 && positives < 1100)
        #expect(try Dataset.reviews(seed: 1) != a)
        let tokenizer = Tokenizer(vocabulary: vocabulary)
        let text = tokenizer.decode(a.features.scalars[0..<24].map { Int($0) })
        #expect(text.contains("the") && !text.contains("<pad>"))
    }

    @Test func sineSequence() throws {
        var r1 = SeededGenerator(seed: 3), r2 = SeededGenerator(seed: 3)
        let a = try Dataset.sineSequence(count: 50, length: 10, rng: &r1)
        #expect(a == (try Dataset.sineSequence(count: 50, length: 10, rng: &r2)))
        #expect(a.features.shape == [50, 10, 1] && a.targets.shape == [50, 1] && a.task == .regression)
        #expect(a.kind == .sequence(length: 10, features: 1))
        #expect(a.lastValueBaselineMSE! > 0.01)
        #expect(try Dataset.iris().lastValueBaselineMSE == nil)
        #expect(datasetError { () throws(DatasetError) in _ = try Dataset.sineSequence(length: 1, rng: &r1) }?.field == "length")
    }

    @Test func tokenizer() {
        let t = Tokenizer(fitting: ["The cat sat.", "the DOG sat", "a cat!", "'quoted' zebra"], size: 5)
        // the ×2, sat ×2, cat ×2 (ties alphabetical: cat, sat, the) — then only 3 slots.
        #expect(t.vocabulary == ["<pad>", "<unk>", "cat", "sat", "the"])
        #expect(t.encode("The dog sat on the cat", length: 4) == [4, 1, 3, 1])
        #expect(t.encode("cat", length: 3) == [2, 0, 0])
        #expect(Tokenizer.words("Don't STOP—it's 42 'ok'") == ["don't", "stop", "it's", "42", "ok"])
        #expect(t.decode([4, 1, 2, 0, 0]) == "the <unk> cat")
    }

    @Test func kindsCheckTheFeatureShape() throws {
        let y = Tensor(shape: [2, 1])
        let error = datasetError { () throws(DatasetError) in
            _ = try Dataset(name: "x", features: Tensor(shape: [2, 8, 8]), targets: y, task: .regression,
                            kind: .image(height: 8, width: 8, channels: 1))
        }
        #expect(error?.description == "features: expected shape [n, 8, 8, 1], got shape [2, 8, 8]")
        #expect(datasetError { () throws(DatasetError) in
            _ = try Dataset(name: "x", features: Tensor(shape: [2, 8, 8]), targets: y, task: .regression)
        }?.description == "features: expected a matrix [n, d], got shape [2, 8, 8]")
    }
}
