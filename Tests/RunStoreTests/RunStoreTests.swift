import Foundation
import Testing
@testable import RunStore

/// The run store on its own: schema, writes in batches, filters, and the files it refuses.
@Suite struct RunStoreTests {
    /// A fresh folder for one test's store.
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "descent-store-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func newRun(_ n: Int, data: String = "xor", model: String = "mlp 8", name: String? = nil) -> NewRun {
        NewRun(sessionRun: n, role: "single", experimentFirstRun: nil, name: name, data: data, model: model,
               optimizer: "adam lr=0.01", batch: "32", seed: 7, metricName: "acc", parameters: 41, setup: "{}",
               commands: ["seed 7", "data \(data)", "model \(model)", "train"])
    }

    static func progress(_ status: String, epochs: Int, validationLoss: Float?, metric: Float?) -> RunProgress {
        RunProgress(status: status, name: nil, epochs: epochs, updates: epochs * 10, seconds: 0.5, learningRate: 0.01,
                    trainLoss: 0.3, validationLoss: validationLoss, validationMetric: metric, changes: ["30 lr=0.01"])
    }

    @Test func keepsARunItsEpochsAndItsEnd() throws {
        let path = Self.folder() + "/runs.sqlite"
        let store = try RunStore.open(at: path)
        try store.beginSession(machine: "test machine", build: "test build")
        var batch = StoreBatch()
        batch.newRuns = [Self.newRun(1, name: "first")]
        batch.epochs = (0..<3).map { (1, $0, StoredEpoch(epoch: $0 + 1, update: ($0 + 1) * 10, trainLoss: 1 / Float($0 + 1),
                                                         validationLoss: 0.5, validationMetric: nil, learningRate: 0.01)) }
        batch.progress = [(1, Self.progress("training", epochs: 3, validationLoss: 0.5, metric: 0.75))]
        let kept = try store.apply(batch)
        let id = try #require(kept[1])
        var end = StoreBatch()
        var finished = Self.progress("finished", epochs: 3, validationLoss: 0.4, metric: 0.8)
        finished.record = "{\"id\":1}"
        finished.weights = [1, 2, 3]
        end.progress = [(1, finished)]
        try store.apply(end)
        let run = try #require(try store.run(id))
        #expect(run.summary.status == "finished")
        #expect(run.summary.validationMetric == 0.8)
        #expect(run.summary.name == nil)
        #expect(run.epochs.map(\.epoch) == [1, 2, 3])
        #expect(run.epochs[1].trainLoss == 0.5)
        #expect(run.epochs[0].validationMetric == nil)
        #expect(run.commands == ["seed 7", "data xor", "model mlp 8", "train"])
        #expect(run.changes == ["30 lr=0.01"])
        #expect(run.machine == "test machine")
        #expect(run.record == "{\"id\":1}")
        #expect(try store.weights(of: id) == [1, 2, 3])
        #expect(run.summary.hasWeights)
    }

    @Test func filtersTagsNotesAndDeletes() throws {
        let store = try RunStore.open(at: Self.folder() + "/runs.sqlite")
        try store.beginSession(machine: "m", build: "b")
        var batch = StoreBatch()
        batch.newRuns = [Self.newRun(1, data: "iris"), Self.newRun(2, data: "iris", model: "softmax"), Self.newRun(3, data: "xor")]
        batch.progress = [(1, Self.progress("finished", epochs: 5, validationLoss: 0.3, metric: 0.9)),
                          (2, Self.progress("finished", epochs: 5, validationLoss: 0.2, metric: 0.95)),
                          (3, Self.progress("stopped", epochs: 2, validationLoss: nil, metric: nil))]
        let kept = try store.apply(batch)
        #expect(try store.list(RunFilter(), limit: 10).runs.map(\.id) == [kept[3]!, kept[2]!, kept[1]!])
        #expect(try store.list(RunFilter(data: "iris"), limit: 10).total == 2)
        #expect(try store.list(RunFilter(model: "mlp"), limit: 10).total == 2)
        #expect(try store.list(RunFilter(data: "ir%"), limit: 10).total == 0)   // LIKE's characters are literal
        #expect(try store.list(RunFilter(best: .validationMetric("acc")), limit: 10).runs.map(\.id) == [kept[2]!, kept[1]!])
        #expect(try store.list(RunFilter(best: .validationLoss), limit: 1).runs.map(\.id) == [kept[2]!])
        #expect(try store.tag(run: kept[1]!, "baseline"))
        #expect(try !store.tag(run: kept[1]!, "baseline"))
        #expect(try store.list(RunFilter(tag: "baseline"), limit: 10).runs.map(\.tags) == [["baseline"]])
        try store.note(run: kept[1]!, "the first try")
        #expect(try store.run(kept[1]!)?.notes.map(\.text) == ["the first try"])
        #expect(try store.list(RunFilter(since: Date().addingTimeInterval(3600)), limit: 10).total == 0)
        #expect(try store.delete(run: kept[1]!))
        #expect(try !store.delete(run: kept[1]!))
        #expect(try store.run(kept[1]!) == nil)
        #expect(try store.list(RunFilter(), limit: 10, offset: 1).runs.map(\.id) == [kept[2]!])
    }

    @Test func experimentsGroupTheirRuns() throws {
        let store = try RunStore.open(at: Self.folder() + "/runs.sqlite")
        try store.beginSession(machine: "m", build: "b")
        var batch = StoreBatch()
        for n in 1...3 {
            var run = Self.newRun(n)
            run.role = "fold"
            run.experimentFirstRun = 1
            batch.newRuns.append(run)
        }
        let kept = try store.apply(batch)
        let summaries = try store.list(RunFilter(), limit: 10).runs
        #expect(Set(summaries.map(\.experiment)) == [kept[1]!])
    }

    @Test func twoWorkbenchesShareOneStore() throws {
        let path = Self.folder() + "/runs.sqlite"
        let a = try RunStore.open(at: path), b = try RunStore.open(at: path)
        let sa = try a.beginSession(machine: "m", build: "b"), sb = try b.beginSession(machine: "m", build: "b")
        #expect(sa != sb)
        for n in 1...20 {
            var batch = StoreBatch()
            batch.newRuns = [Self.newRun(n)]
            try (n % 2 == 0 ? a : b).apply(batch)
            var second = StoreBatch()
            second.newRuns = [Self.newRun(n)]
            try (n % 2 == 0 ? b : a).apply(second)
        }
        #expect(try a.list(RunFilter(), limit: 100).total == 40)
        #expect(try b.list(RunFilter(session: sa), limit: 100).total == 20)
    }

    @Test func refusesWhatItDidNotWrite() throws {
        let folder = Self.folder()
        // Not a database: refused, the file untouched.
        let text = folder + "/notes.sqlite"
        let bytes = Data(String(repeating: "my notes, not a database\n", count: 200).utf8)
        try bytes.write(to: URL(fileURLWithPath: text))
        #expect { try RunStore.open(at: text) } throws: { ($0 as? StoreError)?.kind == .corrupt }
        #expect(FileManager.default.contents(atPath: text) == bytes)
        // Another program's SQLite database: refused.
        let other = folder + "/other.sqlite"
        let store = try RunStore.open(at: other)
        try store.change { db in try db.execute(sql: "PRAGMA application_id = 42; CREATE TABLE t(x)") }
        #expect { try RunStore.open(at: other) } throws: { ($0 as? StoreError)?.kind == .corrupt }
        // A newer Descent's store: refused with its path, and left as it was.
        let newer = folder + "/newer.sqlite"
        let current = try RunStore.open(at: newer)
        try current.change { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9 from the future')") }
        let before = try current.check { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") }
        #expect { try RunStore.open(at: newer) } throws: { error in
            guard let e = error as? StoreError else { return false }
            return e.kind == .newer && e.description.hasPrefix(newer) && e.description.contains("v9 from the future")
        }
        #expect(try current.check { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") } == before)
    }

    @Test func defaultPathFollowsXDG() {
        #expect(RunStore.defaultPath(environment: ["HOME": "/home/ada"]) == "/home/ada/.local/share/descent/runs.sqlite")
        #expect(RunStore.defaultPath(environment: ["HOME": "/home/ada", "XDG_DATA_HOME": "/data"]) == "/data/descent/runs.sqlite")
        #expect(RunStore.defaultPath(environment: ["HOME": "/home/ada", "XDG_DATA_HOME": "relative"]) == "/home/ada/.local/share/descent/runs.sqlite")
        #expect(RunStore.defaultPath(environment: [:]) == nil)
    }
}
