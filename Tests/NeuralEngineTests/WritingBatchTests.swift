import Foundation
import Testing
import TensorCore
@testable import NeuralEngine

/// Writings stepped together (continuous batching): members that join at different times, at
/// different lengths, some past the block, each get what they get written alone.
@Suite struct WritingBatchTests {
    /// Greedy symbols and their probabilities, written alone.
    static func alone(_ model: Sequential, prompts: [[Int]], count: Int, block: Int) -> [Sampling.Written] {
        var rng = SeededGenerator(seed: 1)
        return Sampling.write(after: prompts, count: count, block: block, rng: &rng, decoder: CachedDecoder(model)) { try? model.predict($0) }
    }

    @Test func membersJoiningAndLeavingGetWhatTheyGetAlone() throws {
        let block = 9
        let model = try CachedDecoderTests.model(vocabulary: 11, block: block, layers: 2, heads: 2, width: 16, seed: 8)
        let batch = WritingBatch(block: block, decoder: CachedDecoder(model)) { try? model.predict($0) }
        // (joins at step, prompts, symbols): one past the block from the start, one that crosses
        // it while the others step, two rows of one member, a one-symbol prompt.
        let plan: [(at: Int, prompts: [[Int]], count: Int)] = [
            (0, [[1, 2, 3]], 12), (2, [[4, 5, 6, 7, 8, 9, 10, 1, 2, 3, 4]], 5), (3, [[0], [7, 7]].map { $0 + [1] }, 8), (5, [[6]], 3)]
        var members: [WritingBatch.Member?] = Array(repeating: nil, count: plan.count)
        var written = plan.map { Array(repeating: Sampling.Written(ids: [], probabilities: []), count: $0.prompts.count) }
        var step = 0
        while step < 20 {
            for (i, p) in plan.enumerated() where p.at == step { members[i] = batch.join(prompts: p.prompts) }
            guard !batch.isEmpty else { break }
            let next = try #require(batch.next())
            for (i, member) in members.enumerated() {
                guard let member, let rows = next[member] else { continue }
                let ids = rows.map { p in p.indices.max { p[$0] < p[$1] }! }
                for (r, id) in ids.enumerated() {
                    written[i][r].ids.append(id)
                    written[i][r].probabilities.append(rows[r][id])
                }
                batch.append(member, ids: ids)
                if written[i][0].ids.count == plan[i].count {
                    batch.leave(member)
                    members[i] = nil
                }
            }
            step += 1
        }
        #expect(batch.isEmpty && batch.rowCount == 0)
        for (i, p) in plan.enumerated() {
            let expected = Self.alone(model, prompts: p.prompts, count: p.count, block: block)
            #expect(written[i].map(\.ids) == expected.map(\.ids), "member \(i)")
            for (w, e) in zip(written[i], expected) {
                #expect(zip(w.probabilities, e.probabilities).allSatisfy { abs($0 - $1) < 1e-5 }, "member \(i)")
            }
        }
    }

    /// A member's rows that are dropped free their cache slots for the next to join.
    @Test func slotsAreFreedAndReused() throws {
        let model = try CachedDecoderTests.model()
        let decoder = try #require(CachedDecoder(model))
        let batch = WritingBatch(block: 9, decoder: decoder) { try? model.predict($0) }
        let a = batch.join(prompts: [[1, 2], [3, 4], [5, 6]])
        _ = try #require(batch.next())
        batch.append(a, ids: [0, 0, 0])
        #expect(decoder.positions == [2, 2, 2])
        batch.keep(a, rows: [2])
        #expect(decoder.positions == [nil, nil, 2] && batch.sequences(of: a) == [[5, 6, 0]])
        let b = batch.join(prompts: [[1]])
        _ = try #require(batch.next())
        #expect(decoder.positions == [1, nil, 3])
        #expect(decoder.capacity == 4)
        batch.leave(a)
        batch.leave(b)
        #expect(decoder.positions.isEmpty && batch.isEmpty && decoder.capacity == 0, "the caches are let go")
        let c = batch.join(prompts: [[1, 2, 3]])
        #expect(try #require(batch.next())[c]?.count == 1 && decoder.positions == [3])
    }

    @Test func anEmptyPromptFailsTheStep() throws {
        let model = try CachedDecoderTests.model()
        let batch = WritingBatch(block: 9, decoder: CachedDecoder(model)) { try? model.predict($0) }
        _ = batch.join(prompts: [[]])
        #expect(batch.next() == nil)
    }
}
