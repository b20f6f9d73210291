import GRDB

/// The value to bind for a REAL column: SQLite cannot hold NaN, so it is
/// written as NULL explicitly (SQLite would do the same silently) and read
/// back as `.nan` by ``readReal(_:_:)``. Infinities are stored as they are.
func storedReal(_ value: Double) -> Double? {
    value.isNaN ? nil : value
}

/// Reads a nullable REAL column written by ``storedReal(_:)``.
func readReal(_ row: Row, _ column: String) throws -> Double {
    let value: Double? = try row.decode(forColumn: column)
    return value ?? .nan
}
