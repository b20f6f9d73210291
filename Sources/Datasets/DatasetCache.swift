import Foundation

/// Decoded train/test sets by directory path, shared by every thread of the process.
///
/// The lock is held while a directory decodes, so two threads asking for the same
/// directory at once decode it once; the price is that a second directory waits.
final class DatasetCache: @unchecked Sendable {
    static let shared = DatasetCache()

    private let lock = NSLock()
    private var sets: [String: (train: ImageDataset, test: ImageDataset)] = [:]   // guarded by lock

    func value(for directory: String,
               load: (String) throws -> (train: ImageDataset, test: ImageDataset)) throws
        -> (train: ImageDataset, test: ImageDataset) {
        lock.lock()
        defer { lock.unlock() }
        if let hit = sets[directory] { return hit }
        let loaded = try load(directory)
        sets[directory] = loaded
        return loaded
    }
}
