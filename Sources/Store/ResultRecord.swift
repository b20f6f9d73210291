/// The outcome of one task, recorded exactly once by rank 0.
public struct ResultRecord: Sendable, Equatable {
    /// The ``TaskRecord/index`` this result belongs to.
    public var taskIndex: Int
    /// One of ``ResultRecord/statuses``: `"ok"`, `"diverged"` or `"failed"`.
    public var status: String
    /// Error text, normally set only for `"failed"`.
    public var message: String?
    /// Named scalar metrics. NaN and ±infinity are allowed and survive a round
    /// trip (NaN is kept as SQL NULL and read back as `.nan`). Values come back
    /// bit for bit, except `-0.0`, which reads back as `0.0` (SQLite stores
    /// integral reals as integers).
    ///
    /// Because NaN never equals itself, two records whose metrics hold NaN
    /// compare unequal under `==`, even when read back from the same row.
    public var metrics: [String: Double]
    /// Wall-clock training time of the task, in seconds.
    public var wallSeconds: Double
    /// MPI rank that ran the task.
    public var rank: Int
    /// Host name of that rank.
    public var host: String
    /// The task's predictions on the test set, if it produced any.
    public var outputs: OutputArray?
    /// Which test set ``outputs`` refer to; the key of ``SweepStore/targets(dataKey:)``.
    public var dataKey: String

    /// Values recorded during training at some epochs (empty for models that
    /// record none). `record` writes them; `results()` leaves them empty (they can
    /// be long): read them with `curves(taskIndex:)`.
    public var curves: [CurvePoint] = []

    /// The statuses ``SweepStore/record(_:)`` accepts. Analysis code can rely
    /// on never seeing anything else.
    public static let statuses: Set<String> = ["ok", "diverged", "failed"]

    public init(taskIndex: Int, status: String, message: String? = nil, metrics: [String: Double],
                wallSeconds: Double, rank: Int, host: String, outputs: OutputArray?, dataKey: String) {
        self.taskIndex = taskIndex
        self.status = status
        self.message = message
        self.metrics = metrics
        self.wallSeconds = wallSeconds
        self.rank = rank
        self.host = host
        self.outputs = outputs
        self.dataKey = dataKey
    }
}
