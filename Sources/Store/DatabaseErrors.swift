import GRDB

extension StoreError {
    /// Turns anything thrown while using the store at `path` into a
    /// ``StoreError``: store errors pass through unchanged, SQLite errors become
    /// the closest one-line explanation.
    static func wrapping(_ error: any Error, path: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return .database(path: path, message: "\(error)")
        }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return .notAStore(path: path, reason: "not a SQLite database")
        case .SQLITE_CORRUPT:
            return .damaged(path: path, reason: message)
        case .SQLITE_FULL:
            return .unwritable(path: path, reason: "the disk is full; free space, then pass --resume")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return .unwritable(path: path, reason: "\(message); pass --store with a writable location")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .database(path: path, message: "\(message) (is another overparam process writing it?)")
        default:
            return .database(path: path, message: message)
        }
    }
}

/// Runs `body`, rethrowing whatever it throws as a ``StoreError`` about `path`.
func mappingErrors<T>(path: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw StoreError.wrapping(error, path: path)
    }
}
