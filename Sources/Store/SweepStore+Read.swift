import Foundation
import GRDB

extension SweepStore {
    /// The whole plan, ordered by index.
    public func tasks() throws -> [TaskRecord] {
        try mappingErrors(path: path) {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT idx, id, cell, seed, config, cost FROM tasks ORDER BY idx").map { row in
                    TaskRecord(index: try row.decode(forColumn: "idx"), id: try row.decode(forColumn: "id"),
                               cell: try row.decode(forColumn: "cell"), seed: try row.decode(forColumn: "seed"),
                               config: try row.decode(forColumn: "config"), cost: try readReal(row, "cost"))
                }
            }
        }
    }

    /// Every stored result with its outputs, ordered by task index.
    ///
    /// Loads everything at once; for big stores prefer
    /// ``forEachResult(includeOutputs:_:)``.
    public func results() throws -> [ResultRecord] {
        var all: [ResultRecord] = []
        try forEachResult(includeOutputs: true) { all.append($0) }
        return all
    }

    /// Calls `body` with each stored result in task-index order, holding only
    /// a small batch in memory at a time.
    ///
    /// `body` runs outside any database access, so it may call other methods
    /// of this store (``targets(dataKey:)``, even ``record(_:)``). Results
    /// recorded meanwhile are visited if their index is past the current one.
    ///
    /// - Parameter includeOutputs: when false, every record's `outputs` is nil
    ///   and no output blob is read (the cheap way to scan metrics).
    /// - Throws: ``StoreError`` for store failures, or whatever `body` throws, unchanged.
    public func forEachResult(includeOutputs: Bool, _ body: (ResultRecord) throws -> Void) throws {
        // Outputs can be megabytes per task (test points × classes), so
        // batches that carry them stay small.
        let batchSize = includeOutputs ? 16 : 1024
        var after = Int.min
        while true {
            let batch = try mappingErrors(path: path) {
                try queue.read { db in
                    try Self.fetchResults(db, after: after, limit: batchSize, includeOutputs: includeOutputs, path: path)
                }
            }
            for result in batch { try body(result) }
            guard batch.count == batchSize, let last = batch.last else { return }
            after = last.taskIndex
        }
    }

    /// Up to `limit` results with task index greater than `after`, in order,
    /// with their metrics (and outputs if asked).
    private static func fetchResults(_ db: Database, after: Int, limit: Int, includeOutputs: Bool,
                                     path: String) throws -> [ResultRecord] {
        let outputColumns = includeOutputs
            ? ", o.task_idx AS out_task, o.dtype AS out_dtype, o.rows AS out_rows, o.cols AS out_cols, o.data AS out_data"
            : ""
        let outputJoin = includeOutputs ? "LEFT JOIN outputs o ON o.task_idx = r.task_idx" : ""
        let rows = try Row.fetchAll(db, sql: """
            SELECT r.task_idx, r.status, r.message, r.wall_seconds, r.rank, r.host, r.data_key\(outputColumns)
            FROM results r \(outputJoin)
            WHERE r.task_idx > ? ORDER BY r.task_idx LIMIT ?
            """, arguments: [after, limit])
        guard let first = rows.first, let last = rows.last else { return [] }

        let firstIndex: Int = try first.decode(forColumn: "task_idx")
        let lastIndex: Int = try last.decode(forColumn: "task_idx")
        var metrics: [Int: [String: Double]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT task_idx, name, value FROM metrics WHERE task_idx BETWEEN ? AND ?",
                                    arguments: [firstIndex, lastIndex]) {
            metrics[try row.decode(forColumn: "task_idx"), default: [:]][try row.decode(forColumn: "name")]
                = try readReal(row, "value")
        }

        return try rows.map { row in
            let index: Int = try row.decode(forColumn: "task_idx")
            var outputs: OutputArray?
            if includeOutputs, try row.decode(Int?.self, forColumn: "out_task") != nil {
                outputs = try readArray(row, prefix: "out_", path: path, what: "outputs of task \(index)")
            }
            return ResultRecord(
                taskIndex: index, status: try row.decode(forColumn: "status"),
                message: try row.decode(forColumn: "message"), metrics: metrics[index] ?? [:],
                wallSeconds: try readReal(row, "wall_seconds"), rank: try row.decode(forColumn: "rank"),
                host: try row.decode(forColumn: "host"), outputs: outputs, dataKey: try row.decode(forColumn: "data_key"))
        }
    }
}

/// Decodes an ``OutputArray`` from columns `<prefix>dtype`, `<prefix>rows`,
/// `<prefix>cols`, `<prefix>data`, refusing a malformed one.
///
/// A NULL blob reads as no bytes: SQLite may hand back an empty blob as NULL.
func readArray(_ row: Row, prefix: String, path: String, what: String) throws -> OutputArray {
    let data: Data? = try row.decode(forColumn: prefix + "data")
    let array = OutputArray(dtype: try row.decode(forColumn: prefix + "dtype"),
                            rows: try row.decode(forColumn: prefix + "rows"),
                            cols: try row.decode(forColumn: prefix + "cols"),
                            bytes: data.map { [UInt8]($0) } ?? [])
    if let problem = array.problem {
        throw StoreError.damaged(path: path, reason: "\(what): \(problem)")
    }
    return array
}
