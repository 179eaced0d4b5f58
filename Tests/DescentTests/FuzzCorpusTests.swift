import Foundation
import Testing
import TestSupport
@testable import descent

/// Every committed fuzzing input (`Fuzz/corpus/<target>/`: the seeds, what `make fuzz` found
/// worth keeping, and every input that once crashed a reader) runs once through its target.
/// A trap ends the test process, so a reader that crashes again fails `make test`.
@Suite struct FuzzCorpusTests {
    static func inputs(_ target: FuzzTarget) throws -> [URL] {
        let folder = target.corpus(in: repositoryRoot)
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCommittedInputRuns(_ target: FuzzTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 3, "Fuzz/corpus/\(target.rawValue) holds seeds")
        for input in inputs {
            target.run([UInt8](try Data(contentsOf: input)))
        }
    }

    @Test func everyTargetHasADictionary() {
        for target in FuzzTarget.allCases {
            let path = repositoryRoot.appendingPathComponent("Fuzz/\(target.rawValue).dict").path
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
        }
    }
}
