import Learning
import Numerical

/// What one trained network produced: its metrics and its outputs on the test set.
public struct TaskOutcome: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok
        /// Training produced NaN or infinity; recorded, and the sweep goes on.
        case diverged
    }

    public var taskIndex: Int
    public var status: Status
    public var metrics: [String: Double]
    /// M x C predictions on the test set; nil when the spec keeps no outputs.
    public var outputs: EncodedMatrix?
    /// The split these outputs refer to (see `PlannedTask.dataKey`).
    public var dataKey: String
    public var wallSeconds: Double
    /// Why training stopped (trained models only).
    public var stopReason: String?
    /// Values recorded at some epochs (trained models only).
    public var curves = TrainingCurves()

    public init(taskIndex: Int, status: Status, metrics: [String: Double], outputs: EncodedMatrix?,
                dataKey: String, wallSeconds: Double) {
        self.taskIndex = taskIndex
        self.status = status
        self.metrics = metrics
        self.outputs = outputs
        self.dataKey = dataKey
        self.wallSeconds = wallSeconds
    }
}
