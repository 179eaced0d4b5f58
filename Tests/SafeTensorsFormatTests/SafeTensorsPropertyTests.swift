import Testing
import PropertyBased
@testable import SafeTensorsFormat

/// Write → read gives back every tensor bit for bit, for random names (any Unicode, the
/// reserved `__metadata__` excepted), shapes of rank 0 to 4 with empty dimensions among them,
/// values of every magnitude, and random metadata; writing twice gives the same bytes.
@Suite struct SafeTensorsPropertyTests {
    static let nameCharacter = Gen<Character?>.element(of: Array("abcXYZ019._-/ é中🙂\"\\{}:,\u{0}\t"))
        .compactMap { $0 }
    static let tensor = zip(
        nameCharacter.string(of: 1...12),
        Gen.int(in: 0...4).array(of: 0...4),
        Gen.float(in: -1e30...1e30).array(of: 0...64))
    static let metadata = zip(nameCharacter.string(of: 1...8), nameCharacter.string(of: 0...16)).array(of: 0...3)

    @Test func writeThenReadGivesBackEveryTensor() async {
        await propertyCheck(count: 300, input: Self.tensor.array(of: 0...6), Self.metadata) { drawn, pairs in
            var seen: Set<String> = []
            let tensors = drawn.filter { $0.0 != "__metadata__" && seen.insert($0.0).inserted }.map { name, shape, values in
                let count = shape.reduce(1, *)
                return SafeTensors.Tensor(name: name, shape: shape,
                                          scalars: (0..<count).map { values.isEmpty ? Float($0) : values[$0 % values.count] })
            }
            let metadata = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
            do {
                let bytes = try SafeTensors.encode(tensors, metadata: metadata)
                #expect(try SafeTensors.encode(tensors, metadata: metadata) == bytes, "deterministic bytes")
                let file = try SafeTensors.read(bytes)
                #expect(file.metadata == metadata)
                #expect(Set(file.entries.map(\.name)) == Set(tensors.map(\.name)))
                for tensor in tensors {
                    let entry = try #require(file.entries.first { $0.name == tensor.name })
                    #expect(entry.shape == tensor.shape)
                    #expect(try file.floats(tensor.name).map(\.bitPattern) == tensor.scalars.map(\.bitPattern))
                }
            } catch {
                Issue.record("\(error) for \(tensors.map { ($0.name, $0.shape) }) and \(metadata)")
            }
        }
    }
}
