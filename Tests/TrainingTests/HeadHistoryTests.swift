import Testing
import NeuralEngine
import Training

/// The head scores over a run: bounded, the first and newest kept, the rise found.
@Suite struct HeadHistoryTests {
    static func reading(_ induction: Double) -> HeadReading {
        HeadReading(heads: [HeadScores(layer: 0, head: 0, previousToken: 0.1, induction: induction, copying: 0.5)],
                    positionLoss: [2, 2, 1, 1], half: 2)
    }

    @Test func staysBoundedAndFindsTheRise() throws {
        var history = HeadHistory()
        for u in 0..<1000 { history.record(Self.reading(u < 600 ? 0.05 : 0.85), update: u * 10) }
        #expect(history.points.count <= HeadHistory.capacity && history.points.count > HeadHistory.capacity / 2)
        #expect(history.points.first?.update == 0 && history.points.last?.update == 9990)
        #expect(history.points.map(\.update) == history.points.map(\.update).sorted())
        let rise = try #require(history.riseUpdate(head: 0))
        #expect(rise >= 6000 && rise <= 6200, "\(rise)")
        history.record(Self.reading(0.9), update: 9990)
        #expect(history.points.last?.induction == [0.9] && history.points.last?.update == 9990, "the same update replaces")
        var flat = HeadHistory()
        for u in 0..<10 { flat.record(Self.reading(0.05), update: u) }
        #expect(flat.riseUpdate(head: 0) == nil)
        #expect(abs(Self.reading(0).firstHalfLoss - 2) < 1e-12 && abs(Self.reading(0).repeatLoss - 4.0 / 3) < 1e-12)
    }
}
