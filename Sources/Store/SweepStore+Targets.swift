import Foundation
import GRDB

extension SweepStore {
    /// Stores the targets of test set `dataKey`, once.
    ///
    /// Idempotent: when `dataKey` already has targets this does nothing, even
    /// if `array` differs — the first stored array wins. (Every rank derives a
    /// test set from the same spec, so repeated calls carry the same data.)
    ///
    /// - Throws: ``StoreError/invalidInput(path:reason:)`` for a malformed array.
    public func storeTargets(dataKey: String, _ array: OutputArray) throws {
        try insertOnce(array, what: "targets '\(dataKey)'",
                       sql: "INSERT OR IGNORE INTO targets (data_key, dtype, rows, cols, data) VALUES (?, ?, ?, ?, ?)",
                       keys: [dataKey])
    }

    /// Validates an array and inserts it under `keys` unless a row is already there.
    private func insertOnce(_ array: OutputArray, what: String, sql: String, keys: [String]) throws {
        if let problem = array.problem {
            throw StoreError.invalidInput(path: path, reason: "\(what): \(problem)")
        }
        let arguments = StatementArguments(keys + [array.dtype]) + [array.rows, array.cols, Data(array.bytes)]
        try mappingErrors(path: path) {
            try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
        }
    }

    /// The targets stored for test set `dataKey`, or nil if none were.
    public func targets(dataKey: String) throws -> OutputArray? {
        try mappingErrors(path: path) {
            try queue.read { db in
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT dtype, rows, cols, data FROM targets WHERE data_key = ?", arguments: [dataKey])
                else { return nil }
                return try readArray(row, prefix: "", path: path, what: "targets '\(dataKey)'")
            }
        }
    }

    /// Stores a named array that belongs to data split `dataKey` (for example
    /// `train_label_changed`, which training labels a corruption changed), once:
    /// the first stored array wins, as for targets.
    public func storeDataArray(dataKey: String, name: String, _ array: OutputArray) throws {
        try insertOnce(array, what: "array '\(name)' of '\(dataKey)'",
                       sql: "INSERT OR IGNORE INTO data_arrays (data_key, name, dtype, rows, cols, data) VALUES (?, ?, ?, ?, ?, ?)",
                       keys: [dataKey, name])
    }

    /// The array stored under (`dataKey`, `name`), or nil.
    public func dataArray(dataKey: String, name: String) throws -> OutputArray? {
        try mappingErrors(path: path) {
            try queue.read { db in
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT dtype, rows, cols, data FROM data_arrays WHERE data_key = ? AND name = ?",
                    arguments: [dataKey, name])
                else { return nil }
                return try readArray(row, prefix: "", path: path, what: "array '\(name)' of '\(dataKey)'")
            }
        }
    }

    /// Keys of every stored target set, sorted.
    public func targetDataKeys() throws -> [String] {
        try mappingErrors(path: path) {
            try queue.read { db in try String.fetchAll(db, sql: "SELECT data_key FROM targets ORDER BY data_key") }
        }
    }
}
