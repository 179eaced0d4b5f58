import Datasets
import TensorCore
import Testing

@Suite("Mini-batch order")
struct BatchOrderTests {
    @Test("each epoch is a permutation, different from the last, and reproducible")
    func epochs() {
        var rng = SeededGenerator(seed: 1)
        var order = BatchOrder(count: 50)
        #expect(order.permutation == Array(0..<50))
        order.shuffle(using: &rng)
        let first = order.permutation
        order.shuffle(using: &rng)
        #expect(first.sorted() == Array(0..<50))
        #expect(order.permutation.sorted() == Array(0..<50))
        #expect(order.permutation != first)

        var again = SeededGenerator(seed: 1)
        var replay = BatchOrder(count: 50)
        replay.shuffle(using: &again)
        #expect(replay.permutation == first)
    }

    @Test("batches cover the epoch once; only the last may be smaller")
    func batches() {
        var rng = SeededGenerator(seed: 2)
        var order = BatchOrder(count: 103)
        order.shuffle(using: &rng)
        #expect(order.batchCount(size: 32) == 4)
        let sizes = (0..<4).map { order.batch($0, size: 32).count }
        #expect(sizes == [32, 32, 32, 7])
        let visited = (0..<4).flatMap { order.batch($0, size: 32) }
        #expect(visited == order.permutation)
    }

    @Test("ranges for full batch, SGD and exact division")
    func ranges() {
        #expect(BatchOrder.ranges(count: 10, size: 10) == [0..<10])
        #expect(BatchOrder.ranges(count: 10, size: 50) == [0..<10])
        #expect(BatchOrder.ranges(count: 3, size: 1) == [0..<1, 1..<2, 2..<3])
        #expect(BatchOrder.ranges(count: 8, size: 4) == [0..<4, 4..<8])
        #expect(BatchOrder.ranges(count: 0, size: 4).isEmpty)
    }

    @Test("a batch gathers the rows it names")
    func gather() throws {
        let data = try generate(.gauss, n: 20)
        var rng = SeededGenerator(seed: 3)
        var order = BatchOrder(count: data.count)
        order.shuffle(using: &rng)
        var x = Tensor(shape: [0])
        data.features.gatherRows(order.batch(1, size: 8), into: &x)
        #expect(x.shape == [8, 2])
        #expect(row(x, 0) == row(data.features, order.permutation[8]))
    }
}
