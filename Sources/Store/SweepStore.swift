import Foundation
import GRDB

/// One SQLite file per sweep: the spec, the plan, and every task's result.
///
/// Written by MPI rank 0 only, from one thread; other processes may open the
/// same file to read (the file is in WAL mode, so readers never block the
/// writer). Every write is one transaction, so whatever `create`, `record`,
/// `storeTargets` or `setProvenance` returned has been committed and synced.
///
/// While a store is open SQLite keeps `<path>-wal` and `<path>-shm` beside it;
/// copy the store only when no process has it open (they are folded back and
/// removed when the last connection closes).
///
/// Every method throws only ``StoreError``.
public final class SweepStore {
    /// The file this store was opened or created at, as given.
    public let path: String
    /// The spec text the sweep was created from.
    public private(set) var specText: String
    /// Fingerprint of the spec, compared on resume to catch an edited spec.
    public private(set) var specFingerprint: String
    /// Free-form facts about how the sweep ran (versions, hosts, …), keyed
    /// without the `provenance.` prefix they carry in the `meta` table.
    public private(set) var provenance: [String: String]

    let queue: DatabaseQueue

    init(path: String, queue: DatabaseQueue, meta: StoreMeta) {
        self.path = path
        self.queue = queue
        self.specText = meta.specText
        self.specFingerprint = meta.specFingerprint
        self.provenance = meta.provenance
    }

    /// Opens an existing store, migrating it if an older build wrote it.
    ///
    /// Nothing is written unless a migration is needed, so opening a foreign
    /// SQLite file leaves it untouched.
    ///
    /// - Throws: ``StoreError/notFound(path:)`` when nothing is at `path`;
    ///   ``StoreError/notAStore(path:reason:)`` for a directory, a non-SQLite
    ///   file, or SQLite without our schema; ``StoreError/incompleteCreate(path:)``
    ///   for the leftovers of an interrupted `create`;
    ///   ``StoreError/newerSchema(path:found:supported:)`` for a store from a newer build.
    public static func open(path: String) throws -> SweepStore {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError.notFound(path: path)
        }
        guard !isDirectory.boolValue else {
            throw StoreError.notAStore(path: path, reason: "it is a directory")
        }
        return try mappingErrors(path: path) {
            let queue = try DatabaseQueue(path: path, configuration: .store(readonly: false))
            var meta = try queue.read { try StoreMeta.read($0, path: path) }
            if meta.version < Schema.latestVersion {
                try Schema.migrator().migrate(queue)
                meta = try queue.read { try StoreMeta.read($0, path: path) }
            }
            return SweepStore(path: path, queue: queue, meta: meta)
        }
    }

    /// Records a provenance fact, replacing any earlier value for `key`
    /// (e.g. the hosts that joined when the sweep was resumed).
    public func setProvenance(_ key: String, _ value: String) throws {
        try mappingErrors(path: path) {
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO meta (key, value) VALUES (?, ?)
                        ON CONFLICT (key) DO UPDATE SET value = excluded.value
                        """,
                    arguments: [MetaKey.provenancePrefix + key, value])
            }
        }
        provenance[key] = value
    }
}
