import Foundation
import GRDB

extension SweepStore {
    /// Stores one task's result, its metrics and its outputs in one transaction.
    ///
    /// Exactly once: a second result for the same task throws
    /// ``StoreError/duplicateResult(path:taskIndex:)`` and leaves the first
    /// untouched. When this returns, the result is committed and synced, and
    /// any other connection to the file sees it.
    ///
    /// - Throws: ``StoreError/unknownTask(path:taskIndex:)`` for an index not in
    ///   the plan; ``StoreError/invalidInput(path:reason:)`` for a status outside
    ///   ``ResultRecord/statuses`` or a malformed output array. Nothing is
    ///   written when it throws.
    public func record(_ result: ResultRecord) throws {
        try record([result])
    }

    /// Stores several results in one transaction (group commit: one sync for all),
    /// all or none: if any is refused, nothing is written.
    public func record(_ results: [ResultRecord]) throws {
        guard !results.isEmpty else { return }
        for result in results { try validate(result) }
        let finishedAt = Date.now.formatted(.iso8601)
        try mappingErrors(path: path) {
            try queue.write { db in
                for result in results { try insert(result, finishedAt: finishedAt, db) }
            }
        }
    }

    private func insert(_ result: ResultRecord, finishedAt: String, _ db: Database) throws {
        let index = result.taskIndex
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM tasks WHERE idx = ?)",
                                arguments: [index]) == true else {
            throw StoreError.unknownTask(path: path, taskIndex: index)
        }
        // Checked explicitly, not left to the primary key, so the
        // error says what happened; the key still backs it up.
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM results WHERE task_idx = ?)",
                                arguments: [index]) == false else {
            throw StoreError.duplicateResult(path: path, taskIndex: index)
        }
        try db.execute(
            sql: """
                INSERT INTO results (task_idx, status, message, wall_seconds, rank, host, data_key, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [index, result.status, result.message, storedReal(result.wallSeconds),
                        result.rank, result.host, result.dataKey, finishedAt])
        let insertMetric = try db.cachedStatement(
            sql: "INSERT INTO metrics (task_idx, name, value) VALUES (?, ?, ?)")
        for (name, value) in result.metrics.sorted(by: { $0.key < $1.key }) {
            try insertMetric.execute(arguments: [index, name, storedReal(value)])
        }
        let insertCurve = try db.cachedStatement(
            sql: "INSERT INTO curves (task_idx, epoch, name, value) VALUES (?, ?, ?, ?)")
        for point in result.curves {
            try insertCurve.execute(arguments: [index, point.epoch, point.name, storedReal(point.value)])
        }
        if let outputs = result.outputs {
            try db.execute(
                sql: "INSERT INTO outputs (task_idx, dtype, rows, cols, data) VALUES (?, ?, ?, ?, ?)",
                arguments: [index, outputs.dtype, outputs.rows, outputs.cols, Data(outputs.bytes)])
        }
    }

    /// The training curves of one task, by name then epoch.
    public func curves(taskIndex: Int) throws -> [CurvePoint] {
        try mappingErrors(path: path) {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT epoch, name, value FROM curves WHERE task_idx = ? ORDER BY name, epoch",
                                 arguments: [taskIndex]).map { row in
                    CurvePoint(epoch: row["epoch"], name: row["name"], value: (row["value"] as Double?) ?? .nan)
                }
            }
        }
    }

    /// Indices of the tasks that have a result, whatever its status.
    public func completedTaskIndices() throws -> Set<Int> {
        try mappingErrors(path: path) {
            try queue.read { db in Set(try Int.fetchAll(db, sql: "SELECT task_idx FROM results")) }
        }
    }

    private func validate(_ result: ResultRecord) throws {
        guard ResultRecord.statuses.contains(result.status) else {
            throw StoreError.invalidInput(
                path: path, reason: "task \(result.taskIndex) has status '\(result.status)', "
                    + "not one of \(ResultRecord.statuses.sorted().joined(separator: ", "))")
        }
        if let problem = result.outputs?.problem {
            throw StoreError.invalidInput(path: path, reason: "outputs of task \(result.taskIndex): \(problem)")
        }
    }
}
