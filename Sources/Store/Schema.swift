import GRDB

/// The store's tables, and the migrations that build them.
///
/// `schema_version` in the `meta` table is the number a person or another
/// tool reads; GRDB's own `grdb_migrations` table tracks which migrations ran.
/// Each migration sets `schema_version` to its own number, so the two agree.
///
/// To change the schema later: append a migration (never edit a shipped one),
/// bump ``latestVersion``, and make the new migration update `schema_version`.
enum Schema {
    /// The newest `schema_version` this build writes and understands.
    static let latestVersion = 2

    /// The migrator that brings any store of version ≤ ``latestVersion`` up to date.
    ///
    /// - Parameter seed: extra writes run at the end of the *last* migration,
    ///   inside its transaction. `create` passes its meta rows and tasks here,
    ///   so schema and content commit together: with a single migration the
    ///   whole create is one transaction, and a crash leaves either nothing
    ///   usable or a complete store.
    static func migrator(seed: (@Sendable (Database) throws -> Void)? = nil) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        let versions: [(String, @Sendable (Database) throws -> Void)] = [("v1", createVersion1), ("v2", createVersion2)]
        for (position, (identifier, body)) in versions.enumerated() {
            let isLast = position == versions.count - 1
            // Immediate checks: the default (deferred) mode toggles
            // `PRAGMA foreign_keys`, which a fresh store does not need.
            migrator.registerMigration(identifier, foreignKeyChecks: .immediate) { db in
                try body(db)
                if isLast, let seed { try seed(db) }
            }
        }
        return migrator
    }

    /// Version 1: meta, the plan, results with their metrics and outputs, and targets.
    ///
    /// REAL columns are nullable because SQLite stores NaN as NULL; readers map
    /// NULL back to `.nan`. Empty blobs may also come back as NULL.
    fileprivate static func createVersion1(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
            CREATE TABLE tasks (
                idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, cell TEXT NOT NULL,
                seed INTEGER NOT NULL, config TEXT NOT NULL, cost REAL);
            CREATE TABLE results (
                task_idx INTEGER PRIMARY KEY REFERENCES tasks(idx), status TEXT NOT NULL, message TEXT,
                wall_seconds REAL, rank INTEGER NOT NULL, host TEXT NOT NULL, data_key TEXT NOT NULL,
                finished_at TEXT NOT NULL);
            CREATE TABLE metrics (
                task_idx INTEGER NOT NULL REFERENCES results(task_idx), name TEXT NOT NULL, value REAL,
                PRIMARY KEY (task_idx, name));
            CREATE TABLE outputs (
                task_idx INTEGER PRIMARY KEY REFERENCES results(task_idx), dtype TEXT NOT NULL,
                rows INTEGER NOT NULL, cols INTEGER NOT NULL, data BLOB);
            CREATE TABLE targets (
                data_key TEXT PRIMARY KEY NOT NULL, dtype TEXT NOT NULL,
                rows INTEGER NOT NULL, cols INTEGER NOT NULL, data BLOB);
            INSERT INTO meta (key, value) VALUES ('schema_version', '1');
            """)
    }
}

extension Schema {
    /// Version 2: per-epoch training curves of each task, and named arrays per
    /// data split (such as which training labels a corruption changed).
    fileprivate static func createVersion2(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE curves (
                task_idx INTEGER NOT NULL REFERENCES results(task_idx), epoch INTEGER NOT NULL,
                name TEXT NOT NULL, value REAL, PRIMARY KEY (task_idx, name, epoch));
            CREATE TABLE data_arrays (
                data_key TEXT NOT NULL, name TEXT NOT NULL, dtype TEXT NOT NULL,
                rows INTEGER NOT NULL, cols INTEGER NOT NULL, data BLOB, PRIMARY KEY (data_key, name));
            UPDATE meta SET value = '2' WHERE key = 'schema_version';
            """)
    }
}

/// Keys of the `meta` table.
enum MetaKey {
    static let schemaVersion = "schema_version"
    static let specText = "spec_text"
    static let specFingerprint = "spec_fingerprint"
    static let createdAt = "created_at"
    /// Prefix of provenance entries: `provenance.<key>`.
    static let provenancePrefix = "provenance."
}
