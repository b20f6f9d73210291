import TestSupport

/// Runs `body` with the path of a fresh, empty directory, removed afterwards
/// (also when `body` throws), so every test has its own files.
@discardableResult
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let directory = try TemporaryDirectory("StoreTests")
    defer { directory.remove() }
    return try body(directory.path)
}
