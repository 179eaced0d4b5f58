import Testing
import Foundation
import TestSupport
import TensorBoardFormat
@testable import WorkbenchCore

/// `log tensorboard` and `export tensorboard` (issue 26): a folder per run, every record framed
/// and checksummed, one event per epoch, the log's end when the run ends; a folder that cannot
/// be written stops logging with one message while the session goes on. (The `tensorboard`
/// package reads the same files in `make test`: Tests/Interop/tensorboard_check.py.)
@Suite struct TensorBoardLogTests {
    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString)").path
    }

    static func records(in folder: String) throws -> [[UInt8]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("events.out.tfevents.") }
        #expect(files.count == 1, "\(folder): \(files)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(files[0])))
        return try #require(TFRecord.records(bytes), "every frame and checksum holds")
    }

    @Test func aRunIsLoggedEpochByEpochIntoAFolderOfItsOwn() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (session, _, t) = scriptedSession("seed 1\ndata iris\nmodel mlp 8\nlog tensorboard \(dir)\ntrain epochs=6 name=fast\n"
                                              + "train epochs=2\nlog off\ntrain epochs=1", stopOnFailure: true)
        defer { session.shutDown() }
        #expect(t.text.contains("logging runs from run 1 on into \(dir)"), "\(t.text)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("run-") }.sorted()
        #expect(runs == ["run-1-fast", "run-2"], "the run after `log off` is not logged")
        let first = try Self.records(in: dir + "/run-1-fast")
        // file version, set-up and hparams, one per epoch, at least one histogram event, the end
        #expect(first.count >= 1 + 1 + 6 + 1 + 1, "\(first.count) records")
        #expect(first[0].suffix(13).elementsEqual("brain.Event:2".utf8), "the first record is the file version")
        let root = try Self.records(in: dir)
        #expect(root.count == 2, "the file version and the experiment")
    }

    @Test func aFolderThatCannotBeWrittenIsSaidOnceAndTheSessionGoesOn() throws {
        let (session, _, t) = scriptedSession("data iris\nmodel mlp 4\nlog tensorboard /proc/descent-logs\ntrain epochs=2\nlog")
        defer { session.shutDown() }
        #expect(t.errors.count == 1 && t.errors[0].contains("log tensorboard: cannot write in /proc/descent-logs"), "\(t.errors)")
        #expect(t.text.contains("run 1 finished") && t.text.contains("not logging"))
    }

    @Test func aFinishedRunIsExportedWithItsFinalWeights() throws {
        let dir = Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (session, _, t) = scriptedSession("seed 1\ndata iris\nmodel mlp 8\ntrain epochs=4\nexport tensorboard \(dir)", stopOnFailure: true)
        defer { session.shutDown() }
        #expect(t.text.contains("wrote \(dir)/run-1: 4 epochs of run 1"), "\(t.text)")
        // file version, set-up, 4 epochs, the final weights' histograms, the end
        #expect(try Self.records(in: dir + "/run-1").count == 8)
    }
}
