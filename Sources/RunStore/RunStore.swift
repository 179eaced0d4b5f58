import Foundation
import GRDB

/// The run store: every run a workbench makes, kept in one SQLite file across sessions (its
/// set-up, the commands that made it, each epoch's figures, the changes made during it, its
/// final metrics and weights, notes and tags). Through GRDB (README, Decisions: why GRDB and not
/// sqlite-nio), in write-ahead-log mode so that two workbenches can share it and a `kill -9`
/// loses only what the last transaction had not committed.
///
/// One thread uses a store (the front end's). Every method throws `StoreError` naming the file.
/// The store never writes to a file it did not recognise: a damaged file, another program's
/// database or one migrated by a newer Descent is refused at `open`.
public final class RunStore {
    /// SQLite's `application_id` for Descent's stores ("DSCT"): a database of another program is
    /// refused rather than given Descent's tables.
    static let applicationID: Int32 = 0x4453_4354

    public let path: String
    let queue: DatabaseQueue
    /// This workbench's session in the store (`beginSession`).
    public private(set) var session: Int?

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    /// `$XDG_DATA_HOME/descent/runs.sqlite`, else `~/.local/share/descent/runs.sqlite`
    /// (the XDG Base Directory specification's default data folder); nil without a home.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/descent/runs.sqlite" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/share/descent/runs.sqlite"
    }

    /// Opens the store at `path`, making it (and its folder) when there is none, and brings its
    /// schema up to date. Refuses, without writing a byte, a file that is not a Descent store or
    /// was written by a newer Descent.
    public static func open(at path: String) throws(StoreError) -> RunStore {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.readOnly, path: path, detail: "its folder \(folder) cannot be made")
        }
        // Two workbenches may open a new store at once: its folder is locked (flock, advisory,
        // taken by Descent alone) while one checks and migrates, so the other finds it whole.
        let lock = Glibc.open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if lock >= 0 { flock(lock, LOCK_EX) }
        defer { if lock >= 0 { flock(lock, LOCK_UN); Glibc.close(lock) } }
        // Checked through a read-only connection first: a file that is refused is never written.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > 0 {
            var readOnly = Configuration()
            readOnly.readonly = true
            readOnly.label = "descent.runs.check"
            let checking: DatabaseQueue
            do { checking = try DatabaseQueue(path: path, configuration: readOnly) } catch { throw translate(error, path: path) }
            try RunStore(path: path, queue: checking).check { db in try recognise(db, path: path) }
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.label = "descent.runs"
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw translate(error, path: path)
        }
        let store = RunStore(path: path, queue: queue)
        try store.check { db in try recognise(db, path: path) }
        do {
            try Schema.migrator.migrate(queue)
        } catch {
            throw translate(error, path: path)
        }
        return store
    }

    /// Throws unless `db` is empty or a Descent store this build can migrate.
    static func recognise(_ db: Database, path: String) throws {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        if id != applicationID, !(id == 0 && tables == 0) {
            throw StoreError(.corrupt, path: path, detail: "a SQLite database of another program")
        }
        guard tables > 0 else { return }
        let migrator = Schema.migrator
        if try migrator.hasBeenSuperseded(db) {
            let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            throw StoreError(.newer, path: path, detail: "schema \(unknown.joined(separator: ", ")); this Descent knows "
                             + migrator.migrations.joined(separator: ", "))
        }
    }

    /// Runs `body` in a read transaction, translating SQLite's errors.
    func check<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Runs `body` in a write transaction (all of it or none), translating SQLite's errors.
    func change<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    static func translate(_ error: any Error, path: String) -> StoreError {
        guard let error = error as? DatabaseError else { return StoreError(.other, path: path, detail: "\(error)") }
        let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        switch error.resultCode.primaryResultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return StoreError(.corrupt, path: path, detail: detail)
        case .SQLITE_FULL: return StoreError(.full, path: path, detail: detail)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM: return StoreError(.readOnly, path: path, detail: detail)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError(.busy, path: path, detail: detail)
        case .SQLITE_IOERR:
            // A write that found no space comes back as an I/O error on some file systems.
            let full = error.extendedResultCode == .SQLITE_IOERR_WRITE || error.extendedResultCode == .SQLITE_IOERR_FSYNC
            return StoreError(full ? .full : .other, path: path, detail: detail)
        default: return StoreError(.other, path: path, detail: detail)
        }
    }

    // MARK: - Sessions

    /// Starts this workbench's session: the machine and build its runs are kept with.
    @discardableResult
    public func beginSession(machine: String, build: String, at date: Date = Date()) throws(StoreError) -> Int {
        let id = try change { db in
            try db.execute(sql: "INSERT INTO session(started, machine, build) VALUES (?, ?, ?)",
                           arguments: [date.timeIntervalSince1970, machine, build])
            return Int(db.lastInsertedRowID)
        }
        session = id
        return id
    }

    // MARK: - Writing as runs go

    /// Applies one poll's writes in one transaction; returns the store numbers of the runs it
    /// kept for the first time, by session run.
    @discardableResult
    public func apply(_ batch: StoreBatch, at date: Date = Date()) throws(StoreError) -> [Int: Int] {
        guard !batch.isEmpty else { return [:] }
        guard let session else { throw StoreError(.other, path: path, detail: "no session begun") }
        let now = date.timeIntervalSince1970
        return try change { db in
            var kept: [Int: Int] = [:]
            for run in batch.newRuns {
                let experiment: Int? = try run.experimentFirstRun.flatMap { first in
                    try Int.fetchOne(db, sql: "SELECT id FROM run WHERE session = ? AND session_run = ?", arguments: [session, first])
                }
                try db.execute(sql: "UPDATE run_number SET last = last + 1")
                try db.execute(sql: """
                    INSERT INTO run(id, session, session_run, role, experiment, name, started, updated, status, data, model,
                                    optimizer, batch, seed, metric_name, parameters, setup, commands)
                    VALUES ((SELECT last FROM run_number), ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [session, run.sessionRun, run.role, experiment, run.name, now, now, run.data, run.model,
                                     run.optimizer, run.batch, Int64(bitPattern: run.seed), run.metricName, run.parameters,
                                     run.setup, run.commands.joined(separator: "\n")])
                let id = Int(db.lastInsertedRowID)
                kept[run.sessionRun] = id
                if run.experimentFirstRun == run.sessionRun {
                    try db.execute(sql: "UPDATE run SET experiment = id WHERE id = ?", arguments: [id])
                }
            }
            let insertEpoch = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO epoch(run, n, epoch, "update", train_loss, val_loss, val_metric, lr)
                VALUES ((SELECT id FROM run WHERE session = ? AND session_run = ?), ?, ?, ?, ?, ?, ?, ?)
                """)
            for (sessionRun, index, e) in batch.epochs {
                try insertEpoch.execute(arguments: [session, sessionRun, index, e.epoch, e.update, Self.number(e.trainLoss),
                                                    e.validationLoss.flatMap(Self.number), e.validationMetric.flatMap(Self.number),
                                                    Self.number(e.learningRate)])
            }
            for (sessionRun, p) in batch.progress {
                try db.execute(sql: """
                    UPDATE run SET status = ?, name = ?, epochs = ?, updates = ?, seconds = ?, lr = ?, train_loss = ?,
                                   val_loss = ?, val_metric = ?, changes = ?, updated = ?,
                                   record = coalesce(?, record), weights = coalesce(?, weights)
                    WHERE session = ? AND session_run = ?
                    """, arguments: [p.status, p.name, p.epochs, p.updates, p.seconds, Self.number(p.learningRate),
                                     p.trainLoss.flatMap(Self.number), p.validationLoss.flatMap(Self.number),
                                     p.validationMetric.flatMap(Self.number), p.changes.joined(separator: "\n"), now,
                                     p.record, p.weights.map { Data($0) }, session, sessionRun])
            }
            return kept
        }
    }

    /// SQLite stores NaN as NULL; infinities are kept (a diverged loss).
    static func number(_ x: Float) -> Double? { x.isNaN ? nil : Double(x) }

    // MARK: - Notes, tags, deleting

    public func note(run id: Int, _ text: String, at date: Date = Date()) throws(StoreError) {
        try change { db in
            try db.execute(sql: "INSERT INTO note(run, at, text) VALUES (?, ?, ?)", arguments: [id, date.timeIntervalSince1970, text])
        }
    }

    /// Tags run `id` with `word` (now: `taggedLast` finds it); false when it already had it.
    @discardableResult
    public func tag(run id: Int, _ word: String) throws(StoreError) -> Bool {
        try change { db in
            let now = Date().timeIntervalSince1970
            try db.execute(sql: "INSERT OR IGNORE INTO tag(run, word, at) VALUES (?, ?, ?)", arguments: [id, word, now])
            if db.changesCount > 0 { return true }
            // Tagged again: it becomes the latest so tagged (what @WORD names).
            try db.execute(sql: "UPDATE tag SET at = ? WHERE run = ? AND word = ?", arguments: [now, id, word])
            return false
        }
    }

    /// Removes tag `word` from run `id`; false when it did not have it.
    @discardableResult
    public func untag(run id: Int, _ word: String) throws(StoreError) -> Bool {
        try change { db in
            try db.execute(sql: "DELETE FROM tag WHERE run = ? AND word = ?", arguments: [id, word])
            return db.changesCount > 0
        }
    }

    /// Deletes run `id` with its epochs, notes and tags; false when there was none.
    @discardableResult
    public func delete(run id: Int) throws(StoreError) -> Bool {
        try change { db in
            try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    // MARK: - Reading

    static let summaryColumns = """
        run.id, run.session, run.session_run, run.role, run.experiment, run.name, run.started, run.status, run.data, run.model, run.optimizer, run.batch, run.seed, run.epochs, run.updates, run.seconds,
        run.lr, run.metric_name, run.parameters, run.train_loss, run.val_loss, run.val_metric,
        (SELECT group_concat(word, ' ') FROM (SELECT word FROM tag WHERE tag.run = run.id ORDER BY word)) AS tags,
        run.weights IS NOT NULL AS has_weights
        """

    /// A row of `summaryColumns`, read by position (10,000 of them are read for a listing).
    static func summary(_ row: Row) -> RunSummary {
        RunSummary(id: row[0], session: row[1], sessionRun: row[2], role: row[3], experiment: row[4], name: row[5],
                   started: Date(timeIntervalSince1970: row[6]), status: row[7], data: row[8], model: row[9],
                   optimizer: row[10], batch: row[11], seed: UInt64(bitPattern: row[12] as Int64), epochs: row[13],
                   updates: row[14], seconds: row[15], learningRate: (row[16] as Double?).map(Float.init) ?? .nan,
                   metricName: row[17], parameters: row[18], trainLoss: (row[19] as Double?).map(Float.init),
                   validationLoss: (row[20] as Double?).map(Float.init), validationMetric: (row[21] as Double?).map(Float.init),
                   tags: (row[22] as String?).map { $0.split(separator: " ").map(String.init) } ?? [], hasWeights: row[23])
    }

    /// Kept runs matching `filter`: the latest first (or the best first with `best`), `limit`
    /// of them after skipping `offset`, and how many match in all.
    public func list(_ filter: RunFilter, limit: Int, offset: Int = 0) throws(StoreError) -> (runs: [RunSummary], total: Int) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let since = filter.since { conditions.append("run.started >= ?"); arguments += [since.timeIntervalSince1970] }
        if let data = filter.data { conditions.append("run.data LIKE ? ESCAPE '\\'"); arguments += [Self.prefix(data)] }
        if let model = filter.model { conditions.append("run.model LIKE ? ESCAPE '\\'"); arguments += [Self.prefix(model)] }
        if let tag = filter.tag { conditions.append("EXISTS (SELECT 1 FROM tag WHERE tag.run = run.id AND tag.word = ?)"); arguments += [tag] }
        if let session = filter.session { conditions.append("run.session = ?"); arguments += [session] }
        var order = "run.id DESC"
        switch filter.best {
        case .validationLoss?: conditions.append("run.val_loss IS NOT NULL"); order = "run.val_loss ASC, run.id DESC"
        case .trainLoss?: conditions.append("run.train_loss IS NOT NULL"); order = "run.train_loss ASC, run.id DESC"
        case .validationMetric(let name)?:
            conditions.append("run.val_metric IS NOT NULL AND run.metric_name = ?")
            arguments += [name]
            order = "run.val_metric DESC, run.id DESC"
        case nil: break
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try check { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM run \(whereClause)", arguments: arguments) ?? 0
            let rows = try Row.fetchCursor(db, sql: """
                SELECT \(Self.summaryColumns) FROM run
                \(whereClause) ORDER BY \(order) LIMIT ? OFFSET ?
                """, arguments: arguments + [limit, offset])
            var runs: [RunSummary] = []
            while let row = try rows.next() { runs.append(Self.summary(row)) }
            return (runs, total)
        }
    }

    /// `text%` for LIKE, with LIKE's own characters escaped.
    static func prefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// Everything kept of run `id`; nil when there is none.
    public func run(_ id: Int) throws(StoreError) -> StoredRun? {
        try check { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(Self.summaryColumns), session.machine, session.build, run.setup, run.commands, run.changes, run.record
                FROM run JOIN session ON session.id = run.session WHERE run.id = ?
                """, arguments: [id]) else { return nil }
            let epochs = try Row.fetchAll(db, sql: """
                SELECT epoch, "update", train_loss, val_loss, val_metric, lr FROM epoch WHERE run = ? ORDER BY n
                """, arguments: [id]).map { e in
                StoredEpoch(epoch: e["epoch"], update: e["update"], trainLoss: Float((e["train_loss"] as Double?) ?? .nan),
                            validationLoss: (e["val_loss"] as Double?).map(Float.init),
                            validationMetric: (e["val_metric"] as Double?).map(Float.init),
                            learningRate: Float((e["lr"] as Double?) ?? .nan))
            }
            let notes = try Row.fetchAll(db, sql: "SELECT at, text FROM note WHERE run = ? ORDER BY at, rowid", arguments: [id])
                .map { (at: Date(timeIntervalSince1970: $0["at"]), text: $0["text"] as String) }
            func lines(_ text: String?) -> [String] { (text ?? "").split(separator: "\n").map(String.init) }
            return StoredRun(summary: Self.summary(row), machine: row["machine"], build: row["build"], setup: row["setup"],
                             commands: lines(row["commands"]), changes: lines(row["changes"]), notes: notes,
                             epochs: epochs, record: row["record"])
        }
    }

    /// Run `id`'s final model as `save` writes it; nil when it has none (still going, cut short,
    /// or a record with no model such as cv's pooled results).
    public func weights(of id: Int) throws(StoreError) -> [UInt8]? {
        try check { db in
            (try Data.fetchOne(db, sql: "SELECT weights FROM run WHERE id = ?", arguments: [id])).map { [UInt8]($0) }
        }
    }

    /// The run tagged `word` most recently, if any.
    public func taggedLast(_ word: String) throws(StoreError) -> Int? {
        try check { db in
            try Int.fetchOne(db, sql: "SELECT run FROM tag WHERE word = ? ORDER BY at DESC, run DESC LIMIT 1", arguments: [word])
        }
    }

    /// The store numbers of this session's kept runs, by session run.
    public func keptRuns(ofSession session: Int) throws(StoreError) -> [Int: Int] {
        try check { db in
            var kept: [Int: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, session_run FROM run WHERE session = ?", arguments: [session]) {
                kept[row["session_run"]] = row["id"]
            }
            return kept
        }
    }

    /// Closes the store (its write-ahead log is checkpointed into the file and removed).
    public func close() {
        try? queue.close()
    }

    /// The file's size with its write-ahead log, in bytes.
    public var bytes: Int {
        [path, path + "-wal"].reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
    }
}
