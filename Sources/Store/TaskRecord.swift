/// One task of a sweep's plan, as the store keeps it.
///
/// The store does not interpret these fields beyond two checks made by
/// ``SweepStore/create(path:specText:specFingerprint:tasks:provenance:)``:
/// `index` and `id` are unique across the plan, and `config` is JSON object
/// text (so the exporter can always turn it into columns).
public struct TaskRecord: Sendable, Equatable {
    /// Position in the plan (0-based); the primary key of the task.
    public var index: Int
    /// Stable human-readable id, e.g. `"width=100,seed=3"`; unique in a plan.
    public var id: String
    /// The id without the seed: tasks sharing a cell are seeds of one ensemble.
    public var cell: String
    /// The seed that distinguishes this task inside its cell.
    public var seed: Int
    /// JSON object text of every resolved key of this task.
    public var config: String
    /// Estimated cost, used only for scheduling (larger runs first).
    public var cost: Double

    public init(index: Int, id: String, cell: String, seed: Int, config: String, cost: Double) {
        self.index = index
        self.id = id
        self.cell = cell
        self.seed = seed
        self.config = config
        self.cost = cost
    }
}
