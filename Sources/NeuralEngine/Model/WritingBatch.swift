import TensorCore

/// Sequences of several writings (each a request with its own rows) stepped together: one
/// forward pass per step for every row of every member, whatever their lengths (continuous
/// batching, as LLM servers such as vLLM do it: a member joins or leaves between steps).
///
///     rows that fit the block (length ≤ block)  one cached position each (`CachedDecoder`),
///                                               all in one `step`; a row's earlier positions
///                                               are stepped first when it has none cached
///     rows past the block                       the whole window's pass (`probabilities`),
///                                               all in one (rows, block) batch
///
/// The batch only computes: `next` gives every live row's probabilities of its next symbol, the
/// caller picks the symbols (`Sampling.pick`, with each member's own draws) and `append`s them.
/// One member alone is computed exactly as `Sampling.Writer` computes it.
public final class WritingBatch {
    public typealias Member = Int

    private struct Row {
        var sequence: [Int]
        var slot: Int?
    }

    public let block: Int
    let decoder: CachedDecoder?
    let probabilities: (Tensor) -> Tensor?
    /// Members in the order they joined, each with its rows.
    private var members: [(id: Member, rows: [Row])] = []
    private var serial = 0
    private var input = Tensor(shape: [0])

    /// `probabilities` is the model's forward pass in evaluation mode (as in `Sampling.write`);
    /// `decoder`, the same model's KV cache when it is a GPT of this block.
    public init(block: Int, decoder: CachedDecoder?, probabilities: @escaping (Tensor) -> Tensor?) {
        self.block = block
        self.decoder = decoder.flatMap { $0.block == block ? $0 : nil }
        self.probabilities = probabilities
    }

    public var isEmpty: Bool { members.isEmpty }
    /// Live rows over all members.
    public var rowCount: Int { members.reduce(0) { $0 + $1.rows.count } }

    /// A new member writing after `prompts` (each at least one symbol long, or `next` fails).
    public func join(prompts: [[Int]]) -> Member {
        serial += 1
        members.append((serial, prompts.map { Row(sequence: $0, slot: nil) }))
        return serial
    }

    /// The member's rows, and their cache slots, are gone.
    public func leave(_ member: Member) {
        guard let m = index(member) else { return }
        for row in members[m].rows { if let slot = row.slot { decoder?.close(slot) } }
        members.remove(at: m)
    }

    /// Keeps only the rows `kept` (indices, in order) of `member`.
    public func keep(_ member: Member, rows kept: [Int]) {
        guard let m = index(member) else { return }
        let rows = members[m].rows
        for (i, row) in rows.enumerated() where !kept.contains(i) { if let slot = row.slot { decoder?.close(slot) } }
        members[m].rows = kept.map { rows[$0] }
    }

    /// The member's sequences, prompts included.
    public func sequences(of member: Member) -> [[Int]] {
        index(member).map { members[$0].rows.map(\.sequence) } ?? []
    }

    /// The probabilities of the next symbol for every row of every member (by member, rows in
    /// order), or only of the members in `only`, from one cached step and one whole-window pass
    /// at most; nil when the model failed.
    public func next(only: Set<Member>? = nil) -> [Member: [[Float]]]? {
        guard members.allSatisfy({ $0.rows.allSatisfy { !$0.sequence.isEmpty } }) else { return nil }
        var cached: [(member: Int, row: Int)] = [], sliding: [(member: Int, row: Int)] = []
        for (m, member) in members.enumerated() where only?.contains(member.id) ?? true {
            for (r, row) in member.rows.enumerated() {
                if decoder != nil, row.sequence.count <= block { cached.append((m, r)) } else { sliding.append((m, r)) }
            }
        }
        var out: [Member: [[Float]]] = [:]
        for member in members where only?.contains(member.id) ?? true { out[member.id] = Array(repeating: [], count: member.rows.count) }
        if let decoder, !cached.isEmpty {
            // Rows without their earlier positions in the cache get them first, stepped together.
            var filling: [(member: Int, row: Int)] = []
            for (m, r) in cached {
                let length = members[m].rows[r].sequence.count
                if let slot = members[m].rows[r].slot, decoder.positions[slot] == length - 1 { continue }
                if let slot = members[m].rows[r].slot { decoder.close(slot) }
                members[m].rows[r].slot = decoder.open()
                if length > 1 { filling.append((m, r)) }
            }
            while true {
                let due = filling.filter { decoder.positions[members[$0.member].rows[$0.row].slot!]! < members[$0.member].rows[$0.row].sequence.count - 1 }
                guard !due.isEmpty else { break }
                _ = decoder.step(slots: due.map { members[$0.member].rows[$0.row].slot! },
                                 ids: due.map { members[$0.member].rows[$0.row].sequence[decoder.positions[members[$0.member].rows[$0.row].slot!]!] })
            }
            let p = decoder.step(slots: cached.map { members[$0.member].rows[$0.row].slot! },
                                 ids: cached.map { members[$0.member].rows[$0.row].sequence.last! })
            let v = p.count / cached.count
            for (k, (m, r)) in cached.enumerated() { out[members[m].id]![r] = Array(p[(k * v)..<((k + 1) * v)]) }
        }
        if !sliding.isEmpty {
            input.ensureShape(sliding.count, block)
            input.fill(0)
            var windows: [Int] = []
            for (k, (m, r)) in sliding.enumerated() {
                if let slot = members[m].rows[r].slot {
                    decoder?.close(slot)
                    members[m].rows[r].slot = nil
                }
                let sequence = members[m].rows[r].sequence
                let window = min(sequence.count, block)
                windows.append(window)
                for t in 0..<window { input.scalars[k * block + t] = Float(sequence[sequence.count - window + t]) }
            }
            guard let output = probabilities(input), output.count % (sliding.count * block) == 0 else { return nil }
            let v = output.count / (sliding.count * block)
            for (k, (m, r)) in sliding.enumerated() {
                let base = (k * block + windows[k] - 1) * v
                out[members[m].id]![r] = Array(output.scalars[base..<(base + v)])
            }
        }
        return out
    }

    /// Appends one symbol to each row of `member` (in order).
    public func append(_ member: Member, ids: [Int]) {
        guard let m = index(member) else { return }
        precondition(ids.count == members[m].rows.count, "writing batch: \(ids.count) symbols for \(members[m].rows.count) rows")
        for (r, id) in ids.enumerated() { members[m].rows[r].sequence.append(id) }
    }

    private func index(_ member: Member) -> Int? { members.firstIndex { $0.id == member } }
}
