import Testing
import TensorCore
import NeuralEngine
@testable import Training

/// The loss ladder: a rung on the first update, then one each time the smoothed loss passes a
/// milestone, each sample written the same way.
@Suite struct LossLadderTests {
    func model() throws -> Sequential {
        let model = try Sequential(try Presets.gpt(vocabulary: 3, block: 5, layers: 1, heads: 1, width: 4))
        var rng = SeededGenerator(seed: 1)
        try model.build(inputShape: [5], rng: &rng)
        return model
    }

    @Test func rungsAtTheStartAndAtEachMilestonePassed() throws {
        let m = try model()
        var ladder = LossLadder(writer: .init(prompt: [2, 0, 1], count: 3, temperature: 0, vocabulary: ["0", "1", "2"],
                                              separator: " ", expected: [0, 1, 2]))
        let started = ladder.observe(2.2, update: 1, model: m)     // the first update: the untrained model
        let above = ladder.observe(2.2, update: 2, model: m)       // smoothed 2.2: above 2
        #expect(started && !above)
        var update = 3
        while ladder.rungs.count < 2 { ladder.observe(1.9, update: update, model: m); update += 1 }
        #expect(ladder.smoothed! < 2 && ladder.rungs[1].update == update - 1)
        // The smoothed loss glides down to 0.4: a rung below each of 1.5, 1.25, 1, 0.75 and 0.5.
        for _ in 0..<80 { ladder.observe(0.4, update: update, model: m); update += 1 }
        #expect(ladder.rungs.count == 2 + 5)
        for (rung, milestone) in zip(ladder.rungs.dropFirst(2), [1.5, 1.25, 1, 0.75, 0.5] as [Float]) {
            #expect(rung.loss < milestone && rung.loss > milestone * 0.85, "taken just past \(milestone)")
        }
        #expect(ladder.rungs.allSatisfy { $0.sample.split(separator: " ").count == 3 && $0.right != nil })
        let losses = ladder.rungs.map(\.loss)
        #expect(losses == losses.sorted(by: >), "every rung is lower than the one before")
        let nan = ladder.observe(.nan, update: update, model: m)
        #expect(!nan)
    }

    @Test func theSameWeightsWriteTheSameSample() throws {
        let m = try model()
        let writer = LossLadder.Writer(prompt: [1], count: 12, temperature: 1, vocabulary: ["a", "b", "c"], separator: "")
        var first = LossLadder(writer: writer), second = LossLadder(writer: writer)
        first.observe(1.1, update: 1, model: m)
        second.observe(1.1, update: 1, model: m)
        #expect(first.rungs == second.rungs && first.rungs[0].sample.count == 12 && first.rungs[0].right == nil)
    }
}
