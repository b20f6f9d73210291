/// Everything that can go wrong with a store, each with a one-line message
/// that names the file and says what to do about it.
///
/// The `--resume` and `--store` flags named in messages belong to the
/// `overparam` command, the only user of this module facing a person.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// `create` found a complete store at the path.
    case alreadyExists(path: String)
    /// `create` found a file at the path that is not an overparam store.
    case pathTaken(path: String)
    /// The file exists but holds no sweep: a `create` was interrupted.
    case incompleteCreate(path: String)
    /// `open` found nothing at the path.
    case notFound(path: String)
    /// The file is not SQLite, or is SQLite without our schema.
    case notAStore(path: String, reason: String)
    /// The store was written by a newer build with a schema this one does not know.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The path (or its directory) cannot be created or written.
    case unwritable(path: String, reason: String)
    /// A result for this task is already stored; results are recorded exactly once.
    case duplicateResult(path: String, taskIndex: Int)
    /// A result names a task index that is not in this store's plan.
    case unknownTask(path: String, taskIndex: Int)
    /// A plan, result or array was refused before anything was written.
    case invalidInput(path: String, reason: String)
    /// Stored content does not decode: the file was damaged or edited.
    case damaged(path: String, reason: String)
    /// Any other SQLite failure, with SQLite's own message.
    case database(path: String, message: String)

    public var description: String {
        switch self {
        case .alreadyExists(let path):
            return "\(path) already exists: pass --resume to continue it, or --store to write elsewhere"
        case .pathTaken(let path):
            return "\(path) already exists and is not an overparam store: pass --store to write elsewhere"
        case .incompleteCreate(let path):
            return "\(path) holds no sweep (its creation was interrupted): delete it and start the sweep again"
        case .notFound(let path):
            return "store \(path) not found: check the path, or start a new sweep instead of resuming"
        case .notAStore(let path, let reason):
            return "\(path) is not an overparam store (\(reason)): pass the .sqlite file a sweep wrote"
        case .newerSchema(let path, let found, let supported):
            return "\(path) has store schema version \(found) but this build knows only up to \(supported): "
                + "upgrade overparam to read it"
        case .unwritable(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .duplicateResult(let path, let taskIndex):
            return "\(path) already holds a result for task \(taskIndex): each task is recorded exactly once "
                + "(is another sweep writing the same store?)"
        case .unknownTask(let path, let taskIndex):
            return "\(path) has no task \(taskIndex) in its plan: the result belongs to another sweep"
        case .invalidInput(let path, let reason):
            return "refused to write \(path): \(reason)"
        case .damaged(let path, let reason):
            return "\(path) is damaged (\(reason)): restore it from a copy or run the sweep again"
        case .database(let path, let message):
            return "\(path): SQLite error: \(message)"
        }
    }
}
