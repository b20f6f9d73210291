import Datasets
import Foundation
import Learning
import Numerical

/// Runs tasks of one plan on this rank: builds (and caches) the data splits, draws
/// the model from the task's own random streams, trains, and evaluates.
///
/// Thread-safe: rank 0 calls it from its trainer thread while the coordinator
/// thread asks it for test targets.
public final class TaskRunner: @unchecked Sendable {
    public let plan: Plan
    public let dataDirectory: String
    private let lock = NSLock()
    private var splits: [String: DataSplit<Double>] = [:]   // guarded by lock

    public init(plan: Plan, dataDirectory: String) {
        self.plan = plan
        self.dataDirectory = dataDirectory
    }

    /// The train/test split named by `dataKey`, built once per process.
    ///
    /// Its randomness comes from the stream ("data", dataKey) of the sweep seed: every
    /// width and seed of a cell, on every rank, sees the same samples.
    public func split(dataKey: String) throws -> DataSplit<Double> {
        lock.lock()
        defer { lock.unlock() }
        if let s = splits[dataKey] { return s }
        guard let task = plan.tasks.first(where: { $0.dataKey == dataKey }) else {
            preconditionFailure("no task uses data key \(dataKey)")
        }
        var stream = RandomStream(seed: plan.spec.sweepSeed, ["data", dataKey])
        let p = task.int("train_size"), m = task.int("test_size")
        let split: DataSplit<Double>
        switch task.string("dataset") {
        case "synthetic-toy":
            split = SyntheticSets.toy(trainCount: p, testCount: m, stream: &stream)
        case "synthetic-linear":
            split = SyntheticSets.linear(trainCount: p, testCount: m, stream: &stream)
        default:
            let (train, test) = try IDXDirectory.cached(directory: dataDirectory)
            split = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: p, testCount: m,
                                                      stream: &stream)
        }
        let prepared = InputTransform(rawValue: task.string("preprocess"))!.apply(to: split)
        splits[dataKey] = prepared
        return prepared
    }

    /// The test targets of a split (one-hot for classification), in Float64.
    public func testTargets(dataKey: String) throws -> EncodedMatrix {
        EncodedMatrix(try split(dataKey: dataKey).test.targets)
    }

    /// Trains and evaluates task `index` of the plan.
    public func run(_ index: Int) throws -> TaskOutcome {
        let start = Date()
        let task = plan.tasks[index]
        let data = try split(dataKey: task.dataKey)
        var stream = RandomStream(seed: plan.spec.sweepSeed, ["init", task.canonicalConfig])
        var outcome: TaskOutcome
        switch task.string("precision") {
        case "float32":
            outcome = try Self.randomFeatures(task: task, data: data.converted(to: Float.self), stream: &stream)
        default:
            outcome = try Self.randomFeatures(task: task, data: data, stream: &stream)
        }
        outcome.wallSeconds = Date().timeIntervalSince(start)
        return outcome
    }

    static func randomFeatures<T: BLASScalar>(task: PlannedTask, data: DataSplit<T>,
                                              stream: inout RandomStream) throws -> TaskOutcome {
        let model = try RandomFeaturesModel<T>.fit(inputs: data.train.inputs, targets: data.train.targets,
                                                   width: task.int("width"), stream: &stream)
        let fTrain = model.predict(data.train.inputs)
        let fTest = model.predict(data.test.inputs)
        var metrics: [String: Double] = [
            "train_mse": Metrics.meanSquaredError(fTrain, data.train.targets),
            "test_mse": Metrics.meanSquaredError(fTest, data.test.targets),
            "readout_norm": model.readout.frobeniusNorm,
            "feature_rank": Double(model.rank),
        ]
        if let labels = data.train.labels, let testLabels = data.test.labels {
            metrics["train_error"] = Metrics.classificationError(fTrain, labels: labels)
            metrics["test_error"] = Metrics.classificationError(fTest, labels: testLabels)
        }
        let diverged = Metrics.hasNonFinite(fTest) || Metrics.hasNonFinite(model.readout)
        return TaskOutcome(taskIndex: task.index, status: diverged ? .diverged : .ok, metrics: metrics,
                           outputs: task.string("outputs") == "none" ? nil : EncodedMatrix(fTest),
                           dataKey: task.dataKey, wallSeconds: 0)
    }
}
