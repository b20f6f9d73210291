import GRDB

extension Configuration {
    /// How every store connection is opened.
    ///
    /// The journal mode is left alone here: `create` switches a new file to
    /// WAL itself (the mode is then stored in the file), and `open` must not
    /// rewrite the header of a file before knowing it is a store.
    static func store(readonly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.label = "overparam.store"
        // An analysis process may read while rank 0 writes; WAL keeps them
        // apart, but a checkpoint can still hold a lock for a moment.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL, not WAL's usual NORMAL: each recorded result is fsynced,
            // so "record returned" means "survives a power cut" — resume
            // relies on that. One fsync per task is negligible next to training.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return configuration
    }
}
