import Foundation
import GRDB

extension SweepStore {
    /// Creates a new store at `path` holding the spec and the whole plan.
    ///
    /// Schema, meta rows and every task are committed in one transaction: a
    /// crash leaves either a complete store or a file that ``open(path:)`` and
    /// `create` both report as an interrupted create. If `create` itself fails
    /// (disk full, …) it removes the file it made, so a retry starts clean.
    /// Stale `-wal`/`-shm`/`-journal` files lying at `path` without their
    /// database are deleted first.
    ///
    /// - Parameters:
    ///   - tasks: the plan; indices and ids must be unique and each `config`
    ///     a JSON object. They are checked before anything touches the disk.
    ///   - provenance: stored as `provenance.<key>` meta rows.
    /// - Throws: ``StoreError/alreadyExists(path:)`` (a store is there),
    ///   ``StoreError/incompleteCreate(path:)``, ``StoreError/pathTaken(path:)``
    ///   (some other file is there), ``StoreError/unwritable(path:reason:)``
    ///   (missing or read-only directory), ``StoreError/invalidInput(path:reason:)``.
    public static func create(path: String, specText: String, specFingerprint: String,
                              tasks: [TaskRecord], provenance: [String: String]) throws -> SweepStore {
        try validatePlan(tasks, path: path)
        try checkParentDirectory(of: path)
        if FileManager.default.fileExists(atPath: path) {
            throw existingFileError(path)
        }
        // Sidecars without their database (someone deleted a crashed store
        // but not its `-wal`) mean nothing now; removing them makes sure
        // SQLite can never mistake them for the new file's own.
        removeDatabaseFiles(at: path)

        let createdAt = Date.now.formatted(.iso8601)
        let seed: @Sendable (Database) throws -> Void = { db in
            var meta = [
                MetaKey.specText: specText,
                MetaKey.specFingerprint: specFingerprint,
                MetaKey.createdAt: createdAt,
            ]
            for (key, value) in provenance { meta[MetaKey.provenancePrefix + key] = value }
            for (key, value) in meta.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?)", arguments: [key, value])
            }
            try insertTasks(tasks, db)
        }

        let queue = try mappingErrors(path: path) {
            try DatabaseQueue(path: path, configuration: .store(readonly: false))
        }
        do {
            try queue.writeWithoutTransaction { db in
                // WAL: analysis can read while rank 0 keeps writing, and a
                // commit is one sequential append. The mode is stored in the file.
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode?.lowercased() == "wal" else {
                    throw StoreError.unwritable(
                        path: path, reason: "its file system does not support SQLite's WAL mode; "
                            + "pass --store with a path on a local disk")
                }
            }
            try Schema.migrator(seed: seed).migrate(queue)
            let meta = try queue.read { try StoreMeta.read($0, path: path) }
            return SweepStore(path: path, queue: queue, meta: meta)
        } catch {
            try? queue.close()
            removeDatabaseFiles(at: path)
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// Refuses a plan the store could not hold or export faithfully.
    private static func validatePlan(_ tasks: [TaskRecord], path: String) throws {
        var indices = Set<Int>(), ids = Set<String>()
        for task in tasks {
            guard task.index >= 0 else {
                throw StoreError.invalidInput(path: path, reason: "task '\(task.id)' has negative index \(task.index)")
            }
            guard indices.insert(task.index).inserted else {
                throw StoreError.invalidInput(path: path, reason: "task index \(task.index) appears twice in the plan")
            }
            guard ids.insert(task.id).inserted else {
                throw StoreError.invalidInput(path: path, reason: "task id '\(task.id)' appears twice in the plan")
            }
            let object = try? JSONSerialization.jsonObject(with: Data(task.config.utf8))
            guard object is [String: Any] else {
                throw StoreError.invalidInput(path: path, reason: "config of task '\(task.id)' is not a JSON object")
            }
        }
    }

    /// Checks the directory that will hold `path` exists and is writable, so
    /// the user hears about the directory rather than a bare SQLite code.
    private static func checkParentDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw StoreError.unwritable(
                path: path, reason: "directory \(directory) does not exist; create it or pass --store with another path")
        }
        guard isDirectory.boolValue else {
            throw StoreError.unwritable(path: path, reason: "\(directory) is not a directory")
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw StoreError.unwritable(
                path: path, reason: "directory \(directory) is read-only; pass --store with a writable location")
        }
    }

    /// Says what the file already at `path` is, reading it without writing.
    private static func existingFileError(_ path: String) -> StoreError {
        do {
            let queue = try DatabaseQueue(path: path, configuration: .store(readonly: true))
            defer { try? queue.close() }
            _ = try queue.read { try StoreMeta.read($0, path: path) }
            return .alreadyExists(path: path)
        } catch StoreError.incompleteCreate(let path) {
            return .incompleteCreate(path: path)
        } catch StoreError.newerSchema {
            return .alreadyExists(path: path)
        } catch {
            return .pathTaken(path: path)
        }
    }

    /// Deletes a database and SQLite's sidecar files, ignoring missing ones.
    private static func removeDatabaseFiles(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}

/// Inserts task rows (used by create, and by `addTasks` for tasks added mid-run).
func insertTasks(_ tasks: [TaskRecord], _ db: Database) throws {
    let insertTask = try db.cachedStatement(
        sql: "INSERT INTO tasks (idx, id, cell, seed, config, cost) VALUES (?, ?, ?, ?, ?, ?)")
    for task in tasks {
        try insertTask.execute(arguments: [task.index, task.id, task.cell, task.seed, task.config,
                                           storedReal(task.cost)])
    }
}

extension SweepStore {
    /// Adds tasks to the plan of an existing store in one transaction (the adaptive
    /// mode's new widths), so a resume sees them. Indices and ids must be new.
    public func addTasks(_ tasks: [TaskRecord]) throws {
        try mappingErrors(path: path) {
            try queue.write { db in try insertTasks(tasks, db) }
        }
    }
}
