import GRDB

/// The checked contents of a store's `meta` table.
struct StoreMeta {
    var version: Int
    var specText: String
    var specFingerprint: String
    var provenance: [String: String]

    /// Reads `meta` and decides whether the file is a usable overparam store.
    ///
    /// - Throws: ``StoreError/incompleteCreate(path:)`` for a file with no tables
    ///   or no spec rows (a `create` that never committed: SQLite leaves an
    ///   empty database behind); ``StoreError/notAStore(path:reason:)`` for
    ///   SQLite files of some other program; ``StoreError/newerSchema(path:found:supported:)``
    ///   when a newer build wrote it. Never writes.
    static func read(_ db: Database, path: String) throws -> StoreMeta {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        if tables.isEmpty { throw StoreError.incompleteCreate(path: path) }
        guard tables.contains("meta") else {
            throw StoreError.notAStore(path: path, reason: "it has no meta table")
        }
        // CAST so a foreign `meta` table with other column types still reads;
        // a foreign table without these columns fails here and is reported as foreign.
        let rows: [Row]
        do {
            rows = try Row.fetchAll(db, sql: "SELECT CAST(key AS TEXT), CAST(value AS TEXT) FROM meta")
        } catch {
            throw StoreError.notAStore(path: path, reason: "its meta table is not an overparam one")
        }
        var values: [String: String] = [:]
        for row in rows {
            if let key: String = try row.decode(atIndex: 0), let value: String = try row.decode(atIndex: 1) {
                values[key] = value
            }
        }
        guard let versionText = values[MetaKey.schemaVersion] else {
            throw StoreError.notAStore(path: path, reason: "its meta table has no schema_version")
        }
        guard let version = Int(versionText), version >= 1 else {
            throw StoreError.notAStore(path: path, reason: "schema_version '\(versionText)' is not a version number")
        }
        guard version <= Schema.latestVersion else {
            throw StoreError.newerSchema(path: path, found: version, supported: Schema.latestVersion)
        }
        guard let specText = values[MetaKey.specText], let fingerprint = values[MetaKey.specFingerprint] else {
            throw StoreError.incompleteCreate(path: path)
        }
        var provenance: [String: String] = [:]
        for (key, value) in values where key.hasPrefix(MetaKey.provenancePrefix) {
            provenance[String(key.dropFirst(MetaKey.provenancePrefix.count))] = value
        }
        return StoreMeta(version: version, specText: specText, specFingerprint: fingerprint, provenance: provenance)
    }
}
