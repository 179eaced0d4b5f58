import Datasets
import TensorCore
import Testing

@Suite("Dataset")
struct DatasetTests {
    @Test("subset keeps names and task and picks rows in order")
    func subset() throws {
        let data = try generate(.blobs, n: 30, classes: 3)
        let part = data.subset([5, 2, 2])
        #expect(part.count == 3)
        #expect(part.task == data.task && part.featureNames == data.featureNames)
        #expect(row(part.features, 0) == row(data.features, 5))
        #expect(row(part.features, 2) == row(data.features, 2))
        #expect(part.labels == [data.labels[5], data.labels[2], data.labels[2]])
        #expect(data.subset([]).features.shape == [0, 2])
    }

    @Test("hand-built datasets get default names")
    func defaultNames() throws {
        let one = try Dataset(name: "line", features: Tensor(shape: [3, 1]), targets: Tensor(shape: [3, 1]),
                              task: .regression)
        #expect(one.featureNames == ["x"] && one.classNames.isEmpty)
        let three = try Dataset(name: "t", features: Tensor(shape: [2, 3]), targets: Tensor(shape: [2, 1]),
                                task: .classification(classes: 2))
        #expect(three.featureNames == ["x1", "x2", "x3"] && three.classNames == ["0", "1"])
        #expect(three.summary == "t  2 pts · 3 features · 2 classes")
    }

    @Test("LearningTask reports its class count")
    func taskClassCount() {
        #expect(LearningTask.classification(classes: 4).classCount == 4)
        #expect(LearningTask.regression.classCount == nil)
    }
}
