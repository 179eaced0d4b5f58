import GRDB

/// The store's tables, as versioned migrations: a store is brought forward by the migrations it
/// has not had, in order, each in one transaction; one that has migrations this build does not
/// know was written by a newer Descent and is refused (`RunStore.open`). Never edit a migration
/// that has shipped: add the next.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 runs, epochs, notes, tags") { db in
            try db.execute(sql: "PRAGMA application_id = \(RunStore.applicationID)")
            try db.execute(sql: """
                CREATE TABLE session (
                    id INTEGER PRIMARY KEY,
                    started REAL NOT NULL,
                    machine TEXT NOT NULL,
                    build TEXT NOT NULL
                );
                CREATE TABLE run (
                    id INTEGER PRIMARY KEY,
                    session INTEGER NOT NULL REFERENCES session(id),
                    session_run INTEGER NOT NULL,
                    role TEXT NOT NULL,
                    experiment INTEGER REFERENCES run(id) ON DELETE SET NULL,
                    name TEXT,
                    started REAL NOT NULL,
                    updated REAL NOT NULL,
                    status TEXT NOT NULL,
                    data TEXT NOT NULL,
                    model TEXT NOT NULL,
                    optimizer TEXT NOT NULL,
                    batch TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    metric_name TEXT NOT NULL,
                    parameters INTEGER,
                    epochs INTEGER NOT NULL DEFAULT 0,
                    updates INTEGER NOT NULL DEFAULT 0,
                    seconds REAL NOT NULL DEFAULT 0,
                    lr REAL,
                    train_loss REAL,
                    val_loss REAL,
                    val_metric REAL,
                    changes TEXT NOT NULL DEFAULT '',
                    setup TEXT NOT NULL,
                    commands TEXT NOT NULL,
                    record TEXT,
                    weights BLOB,
                    UNIQUE (session, session_run)
                );
                CREATE INDEX run_data ON run(data);
                CREATE INDEX run_model ON run(model);
                CREATE INDEX run_experiment ON run(experiment);
                CREATE TABLE epoch (
                    run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    n INTEGER NOT NULL,
                    epoch INTEGER NOT NULL,
                    "update" INTEGER NOT NULL,
                    train_loss REAL,
                    val_loss REAL,
                    val_metric REAL,
                    lr REAL,
                    PRIMARY KEY (run, n)
                ) WITHOUT ROWID;
                CREATE TABLE note (
                    run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    at REAL NOT NULL,
                    text TEXT NOT NULL
                );
                CREATE INDEX note_run ON note(run);
                CREATE TABLE tag (
                    run INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    word TEXT NOT NULL,
                    PRIMARY KEY (run, word)
                ) WITHOUT ROWID;
                CREATE INDEX tag_word ON tag(word);
                """)
        }
        migrator.registerMigration("v2 numbers never reused, tags in order") { db in
            // A deleted run's number is never given again: `@7` in a note or a notebook keeps
            // meaning the run it named. The counter starts past every number given so far.
            try db.execute(sql: """
                CREATE TABLE run_number (last INTEGER NOT NULL);
                INSERT INTO run_number SELECT coalesce(max(id), 0) FROM run;
                ALTER TABLE tag ADD COLUMN at REAL NOT NULL DEFAULT 0;
                """)
        }
        return migrator
    }
}
