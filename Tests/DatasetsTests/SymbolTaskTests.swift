import Foundation
import Testing
import TensorCore
@testable import Datasets

/// minGPT's sort, reverse and add problems, and repeat: layout, scoring mask and a held-out
/// split of distinct problems.
@Suite struct SymbolTaskTests {
    /// Sample `row` as its whole sequence: the input and then the last target.
    func sequence(_ data: Dataset, _ row: Int) -> [Int] {
        let d = data.featureCount
        return (0..<d).map { Int(data.features.scalars[row * d + $0]) } + [Int(data.targets.scalars[row * d + d - 1])]
    }

    @Test func sortIsTheInputThenItsSortedOrderScoredOnTheAnswerOnly() throws {
        var rng = SeededGenerator(seed: 1)
        let data = try Dataset.symbolTask(.sort, count: 300, rng: &rng)
        #expect(data.features.shape == [300, 11] && data.targets.shape == [300, 11])
        #expect(data.kind == .symbols(vocabulary: ["0", "1", "2"], length: 11, prompt: 6))
        #expect(data.task == .sequence(vocabulary: 3, answers: true))
        for row in 0..<300 {
            let s = sequence(data, row)
            #expect(Array(s[6...]) == s[..<6].sorted())
            let targets = data.targets.scalars[(row * 11)..<((row + 1) * 11)].map { Int($0) }
            #expect(Array(targets[..<5]) == [-1, -1, -1, -1, -1])
            #expect(Array(targets[5...]) == Array(s[6...]))
            for t in 0..<10 { #expect(Int(data.features.scalars[row * 11 + t + 1]) == s[t + 1]) }   // shifted by one
        }
    }

    /// Induction heads' task: random symbols repeating with a period that changes from sample to
    /// sample; only the second half is scored.
    @Test func repeatIsRandomSymbolsThenTheSameAgain() throws {
        var rng = SeededGenerator(seed: 4)
        let data = try Dataset.symbolTask(.repeats, count: 400, rng: &rng)
        #expect(data.features.shape == [400, 15] && data.kind == .symbols(vocabulary: (0..<16).map(String.init), length: 15, prompt: 8))
        var seen = Set<Int>(), periods = Set<Int>()
        for row in 0..<400 {
            let s = sequence(data, row)
            // Some period m from 4 to 8 repeats the first m symbols all along.
            let period = (4...8).first { m in (m..<16).allSatisfy { s[$0] == s[$0 - m] } }
            #expect(period != nil, "\(s)")
            if let period { periods.insert(period) }
            seen.formUnion(s)
            let targets = data.targets.scalars[(row * 15)..<((row + 1) * 15)].map { Int($0) }
            #expect(Array(targets[..<7]) == Array(repeating: -1, count: 7) && Array(targets[7...]) == Array(s[8...]))
        }
        #expect(seen == Set(0..<16), "every symbol is drawn")
        #expect(periods.count >= 4, "the period changes from sample to sample: \(periods.sorted())")
        let long = try Dataset.symbolTask(.repeats, count: 10, length: 20, digits: 64, rng: &rng)
        #expect(long.features.shape == [10, 39])
        #expect(throws: DatasetError.self) { try Dataset.symbolTask(.repeats, count: 10, digits: 65, rng: &rng) }
    }

    @Test func reverseAndAdd() throws {
        var rng = SeededGenerator(seed: 2)
        let reverse = try Dataset.symbolTask(.reverse, count: 50, length: 4, digits: 5, rng: &rng)
        for row in 0..<50 {
            let s = sequence(reverse, row)
            #expect(Array(s[4...]) == Array(s[..<4].reversed()))
        }
        let add = try Dataset.symbolTask(.add, count: 200, rng: &rng)
        #expect(add.kind == .symbols(vocabulary: (0..<10).map(String.init), length: 6, prompt: 4))
        for row in 0..<200 {
            let s = sequence(add, row)
            let a = s[0] * 10 + s[1], b = s[2] * 10 + s[3]
            #expect(s[4] + 10 * s[5] + 100 * s[6] == a + b, "the sum is written last digit first")
            #expect(add.targets.scalars[row * 6 + 2] == -1 && add.targets.scalars[row * 6 + 3] == Float(s[4]))
        }
    }

    @Test func theSplitKeepsEveryDistinctProblemOnOneSide() throws {
        var rng = SeededGenerator(seed: 3)
        let data = try Dataset.symbolTask(.sort, count: 4000, rng: &rng)
        let (train, validation) = try data.split(trainFraction: 0.8, rng: &rng)
        let key = { (d: Dataset, row: Int) in Array(d.features.scalars[(row * 11)..<((row + 1) * 11)]) }
        let seen = Set((0..<train.count).map { key(train, $0) })
        #expect((0..<validation.count).allSatisfy { !seen.contains(key(validation, $0)) })
        #expect(train.count + validation.count == 4000)
        #expect(abs(Double(train.count) / 4000 - 0.8) < 0.02)
        #expect(Set((0..<validation.count).map { key(validation, $0) }).count > 50, "many held-out problems")
    }

    @Test func optionsOutOfRangeNameTheField() {
        var rng = SeededGenerator(seed: 4)
        #expect(throws: DatasetError.invalidValue(field: "digits", expected: "2…10 for sort", got: "1")) {
            try Dataset.symbolTask(.sort, count: 10, digits: 1, rng: &rng)
        }
        #expect(throws: DatasetError.self) { try Dataset.symbolTask(.add, count: 10, digits: 7, rng: &rng) }
        #expect(throws: DatasetError.self) { try Dataset.symbolTask(.sort, count: 10, length: 21, rng: &rng) }
    }
}

/// Character-level text: windows, vocabulary and bad files.
@Suite struct CharacterTextTests {
    @Test func windowsDoNotOverlapAndPredictTheNextCharacter() throws {
        let data = try Dataset.characters("abcabcabcabcab", name: "t", length: 3)
        #expect(data.kind == .symbols(vocabulary: ["a", "b", "c"], length: 3, prompt: 0))
        #expect(data.task == .sequence(vocabulary: 3, answers: false))
        #expect(data.count == 3)   // 14 characters, windows of 4
        #expect(data.features.scalars == [0, 1, 2, 1, 2, 0, 2, 0, 1])   // abc, bca, cab
        #expect(data.targets.scalars == [1, 2, 0, 2, 0, 1, 0, 1, 2])    // bca, cab, abc
    }

    @Test func wordsAreTheBundledListEndedByFullStops() throws {
        var rng = SeededGenerator(seed: 1)
        let data = try Dataset.words(rng: &rng)
        guard case let .symbols(vocabulary, length, 0) = data.kind else { Issue.record("not text"); return }
        #expect(vocabulary == ["."] + (UnicodeScalar("a").value...UnicodeScalar("z").value).map { String(UnicodeScalar($0)!) })
        #expect(length == 16)
        #expect(data.count > 1500)
    }

    @Test func badTextFilesNameTheFileAndTheProblem() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("descent-text-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ bytes: [UInt8]) -> String {
            let path = folder.appendingPathComponent(name).path
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            return path
        }
        let empty = file("empty.txt", [])
        #expect(throws: DatasetError.badFile(path: empty, location: "", expected: "some text", got: "an empty file")) {
            try Dataset.textFile(path: empty)
        }
        let binary = file("a.bin", Array("hello".utf8) + [0, 1, 2])
        #expect(throws: DatasetError.badFile(path: binary, location: "byte 5", expected: "text", got: "a NUL byte (a binary file?)")) {
            try Dataset.textFile(path: binary)
        }
        let latin1 = file("latin1.txt", Array("caf".utf8) + [0xE9] + Array(" au lait".utf8))
        #expect(throws: DatasetError.badFile(path: latin1, location: "byte 3", expected: "UTF-8 text", got: "bytes that are not UTF-8")) {
            try Dataset.textFile(path: latin1)
        }
        let short = file("short.txt", Array("tiny".utf8))
        #expect(throws: DatasetError.self) { try Dataset.textFile(path: short) }
        let good = file("good.txt", Array(String(repeating: "héllo wörld\n", count: 20).utf8))
        let data = try Dataset.textFile(path: good, length: 8)
        #expect(data.name == "good.txt" && data.count == 240 / 9)
    }
}
