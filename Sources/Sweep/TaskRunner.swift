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
    private var splits: [String: PreparedData] = [:]   // guarded by lock
    private var derived: [Int: PlannedTask] = [:]       // guarded by lock: tasks the adaptive mode added

    /// A split ready for training, and which training labels corruption changed.
    public struct PreparedData: Sendable {
        public let split: DataSplit<Double>
        public let labelChanged: [Bool]?
    }

    public init(plan: Plan, dataDirectory: String) {
        self.plan = plan
        self.dataDirectory = dataDirectory
    }

    /// The train/test split named by `dataKey`, built once per process:
    /// subset -> input corruption -> label noise -> binary target -> preprocessing.
    ///
    /// Each random step draws from its own stream (purpose, dataKey) of the sweep
    /// seed, so every width and seed of a cell, on every rank, sees the same data.
    public func prepared(dataKey: String) throws -> PreparedData {
        lock.lock()
        defer { lock.unlock() }
        if let s = splits[dataKey] { return s }
        guard let task = plan.tasks.first(where: { $0.dataKey == dataKey }) else {
            preconditionFailure("no task uses data key \(dataKey)")
        }
        func stream(_ purpose: String) -> RandomStream { RandomStream(seed: plan.spec.sweepSeed, [purpose, dataKey]) }
        var subsetStream = stream("data")
        let held = task.config["validation_size"]?.intValue ?? 0
        let p = task.int("train_size") + held, m = task.int("test_size")
        var split: DataSplit<Double>
        switch task.string("dataset") {
        case "synthetic-toy":
            split = SyntheticSets.toy(trainCount: p, testCount: m, stream: &subsetStream)
        case "synthetic-linear":
            split = SyntheticSets.linear(trainCount: p, testCount: m, stream: &subsetStream)
        default:
            let (train, test) = try IDXDirectory.cached(directory: dataDirectory)
            split = try DataSplit<Double>.imageSubset(train: train, test: test, trainCount: p, testCount: m,
                                                      stream: &subsetStream)
        }
        let corruption = InputCorruption(rawValue: task.string("input_corruption"))!
        if corruption != .none {
            var s = stream("input_corruption")
            split = corruption.apply(to: split, stream: &s)
        }
        var changed: [Bool]?
        let noise = task.config["label_noise"]?.doubleValue ?? 0
        if noise > 0 {
            var s = stream("label_noise")
            let mode = LabelNoiseMode(rawValue: task.string("label_noise_mode"))!
            (split, changed) = Corruption.corruptLabels(split, probability: noise, mode: mode, stream: &s)
        }
        if task.string("target") == "parity" { split = BinaryTasks.parity(split) }
        // The validation set is the last part of the (corrupted) training draw; the
        // preprocessing below uses the remaining training examples' statistics only.
        split = split.holdingOut(held)
        split = InputTransform(rawValue: task.string("preprocess"))!.apply(to: split)
        let result = PreparedData(split: split, labelChanged: changed)
        splits[dataKey] = result
        return result
    }

    /// The test targets of a split (one-hot, +-1 for binary targets, values for
    /// regression), in Float64.
    public func testTargets(dataKey: String) throws -> EncodedMatrix {
        EncodedMatrix(try prepared(dataKey: dataKey).split.test.targets)
    }

    /// Which training labels corruption changed (P x 1, 1 = changed), if any were corrupted.
    public func labelChangedMask(dataKey: String) throws -> EncodedMatrix? {
        guard let mask = try prepared(dataKey: dataKey).labelChanged else { return nil }
        return EncodedMatrix(float32: mask.map { $0 ? 1 : 0 }, rows: mask.count, cols: 1)
    }

    /// Arrays worth keeping beside the results for one split: which training labels
    /// corruption changed (P x 1, 1 = changed), and for the small synthetic sets the
    /// data itself (train inputs and targets, test inputs), so a figure can draw the
    /// points and the fits.
    public func dataArrays(dataKey: String) throws -> [(name: String, array: EncodedMatrix)] {
        let prepared = try prepared(dataKey: dataKey)
        var out: [(String, EncodedMatrix)] = []
        if let mask = try labelChangedMask(dataKey: dataKey) { out.append(("train_label_changed", mask)) }
        if prepared.split.classes == 0 && prepared.split.inputDimension == 1 {
            out.append(("train_inputs", EncodedMatrix(prepared.split.train.inputs)))
            out.append(("train_targets", EncodedMatrix(prepared.split.train.targets)))
            out.append(("test_inputs", EncodedMatrix(prepared.split.test.inputs)))
        }
        return out
    }

    /// Makes a task the adaptive mode added known to this rank.
    public func register(_ task: PlannedTask) {
        lock.lock()
        derived[task.index] = task
        lock.unlock()
    }

    /// A planned or registered task.
    public func task(_ index: Int) -> PlannedTask {
        if index < plan.tasks.count { return plan.tasks[index] }
        lock.lock()
        defer { lock.unlock() }
        guard let t = derived[index] else { preconditionFailure("task \(index) is neither planned nor registered") }
        return t
    }

    /// Trains and evaluates the ensemble `indices` (tasks of one cell, differing only
    /// in their seed; see `Plan.ensembles`) as one problem: one outcome per task, each
    /// charged an equal share of the wall time.
    public func run(ensemble indices: [Int]) throws -> [TaskOutcome] {
        guard indices.count > 1 else { return [try run(indices[0])] }
        let start = Date()
        let tasks = indices.map(task)
        let data = try prepared(dataKey: tasks[0].dataKey).split
        var outcomes = tasks[0].config["precision"]?.stringValue == "float32"
            ? Self.mlpEnsemble(tasks: tasks, data: data.converted(to: Float.self), plan: plan, train: MLPTraining.train)
            : Self.mlpEnsemble(tasks: tasks, data: data, plan: plan, train: MLPTraining.train)
        let share = Date().timeIntervalSince(start) / Double(tasks.count)
        for i in outcomes.indices { outcomes[i].wallSeconds = share }
        return outcomes
    }

    /// Trains and evaluates task `index` (planned or registered).
    public func run(_ index: Int) throws -> TaskOutcome {
        let start = Date()
        let task = self.task(index)
        let data = try prepared(dataKey: task.dataKey).split
        var outcome: TaskOutcome
        switch (task.string("model"), task.config["precision"]?.stringValue ?? "float64") {
        case ("kernel", _): outcome = try Self.kernel(task: task, data: data)
        case ("mlp", "float32"):
            outcome = Self.mlp(task: task, data: data.converted(to: Float.self), plan: plan, train: MLPTraining.train,
                               lottery: MLPTraining.lottery)
        case ("mlp", _):
            outcome = Self.mlp(task: task, data: data, plan: plan, train: MLPTraining.train, lottery: MLPTraining.lottery)
        case (_, "float32"): outcome = try Self.randomFeatures(task: task, data: data.converted(to: Float.self), plan: plan)
        default: outcome = try Self.randomFeatures(task: task, data: data, plan: plan)
        }
        if task.string("dataset") == "synthetic-linear", let out = outcome.outputs, out.problem == nil {
            outcome.metrics["linear_fit_gap"] = try Self.linearFitGap(out.doubles(), data: data)
        }
        outcome.wallSeconds = Date().timeIntervalSince(start)
        return outcome
    }

    static func stream(_ purpose: String, _ task: PlannedTask, _ plan: Plan) -> RandomStream {
        RandomStream(seed: plan.spec.sweepSeed, [purpose, task.canonicalConfig])
    }

    static func randomFeatures<T: BLASScalar>(task: PlannedTask, data: DataSplit<T>, plan: Plan) throws -> TaskOutcome {
        var init_ = stream("init", task, plan)
        let model = try RandomFeaturesModel<T>.fit(inputs: data.train.inputs, targets: data.train.targets,
                                                   width: task.int("width"), stream: &init_)
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
                           outputs: encodeOutputs(fTest, task), dataKey: task.dataKey, wallSeconds: 0)
    }

    static func kernel(task: PlannedTask, data: DataSplit<Double>) throws -> TaskOutcome {
        let kind = KernelKind(rawValue: task.string("kernel"))!
        let s = task.config["bandwidth"]?.doubleValue ?? 0
        let model = try KernelInterpolation.fit(inputs: data.train.inputs, targets: data.train.targets, kind: kind,
                                                bandwidth: s > 0 ? s : Double(data.inputDimension).squareRoot())
        let fTrain = model.predict(data.train.inputs), fTest = model.predict(data.test.inputs)
        var metrics: [String: Double] = [
            "train_mse": Metrics.meanSquaredError(fTrain, data.train.targets),
            "test_mse": Metrics.meanSquaredError(fTest, data.test.targets),
            "rkhs_norm": model.rkhsNorm,
            "exact_interpolation": model.exact ? 1 : 0,
        ]
        if let labels = data.train.labels, let testLabels = data.test.labels {
            metrics["train_error"] = Metrics.classificationError(fTrain, labels: labels)
            metrics["test_error"] = Metrics.classificationError(fTest, labels: testLabels)
        }
        let diverged = Metrics.hasNonFinite(fTest)
        return TaskOutcome(taskIndex: task.index, status: diverged ? .diverged : .ok, metrics: metrics,
                           outputs: encodeOutputs(fTest, task), dataKey: task.dataKey, wallSeconds: 0)
    }

    /// `train` is `MLPTraining.train` for T: the specialized entry point (see there).
    typealias Train<T: BLASScalar> = (MLPArchitecture, TrainingConfig, DataSplit<T>, inout [RandomStream],
                                      inout [RandomStream], ((Int) -> Void)?) -> [TrainingOutcome<T>]

    typealias Lottery<T: BLASScalar> = (MLPArchitecture, TrainingConfig, DataSplit<T>, PruningConfig, UInt64, String)
        -> (rounds: [LotteryRound], last: TrainingOutcome<T>)

    static func mlp<T: BLASScalar>(task: PlannedTask, data: DataSplit<T>, plan: Plan, train: Train<T>,
                                   lottery: Lottery<T>) -> TaskOutcome {
        guard let rounds = task.config["prune_rounds"]?.intValue, rounds > 0 else {
            return mlpEnsemble(tasks: [task], data: data, plan: plan, train: train)[0]
        }
        let architecture = mlpArchitecture(task, data: data)
        let pruning = PruningConfig(rounds: rounds, hiddenRate: task.config["prune_rate"]!.doubleValue!,
                                    outputRate: task.config["prune_rate_output"]!.doubleValue!,
                                    rewindEpoch: task.int("rewind_epoch"))
        let out = lottery(architecture, trainingConfig(task), data, pruning, plan.spec.sweepSeed, task.canonicalConfig)
        // Curves indexed by round: weights remaining, and per variant test error and early-stop epoch.
        var curves = TrainingCurves()
        var roundMetrics: [String: Double] = [:]
        for r in out.rounds {
            var values = ["weights_remaining": r.weightsRemaining]
            for (name, e) in r.testError { values["\(name)_test_error"] = e }
            for (name, e) in r.earlyStopEpoch { values["\(name)_early_stop_epoch"] = e }
            curves.epochs.append(r.round)
            for (k, v) in values { curves.series[k, default: []].append(v) }
            if r.round == out.rounds.last!.round { roundMetrics = values }
        }
        // Series missing in round 0 (the controls) are padded with NaN so every series has a value per round.
        for (k, v) in curves.series where v.count < curves.epochs.count {
            curves.series[k] = [Double](repeating: .nan, count: curves.epochs.count - v.count) + v
        }
        var outcome = mlpOutcome(task, architecture: architecture, result: out.last, data: data)
        outcome.metrics.merge(roundMetrics) { $1 }
        outcome.curves = curves
        return outcome
    }

    /// Trains the tasks (one cell's seeds) as one ensemble; one task is a single net.
    static func mlpEnsemble<T: BLASScalar>(tasks: [PlannedTask], data: DataSplit<T>, plan: Plan,
                                           train: Train<T>) -> [TaskOutcome] {
        let architecture = mlpArchitecture(tasks[0], data: data)
        var inits = tasks.map { stream("init", $0, plan) }
        var batches = tasks[0].config["data_order"]?.stringValue == "shared"
            ? [RandomStream(seed: plan.spec.sweepSeed, ["batches", tasks[0].cellIdentity])]
            : tasks.map { stream("batches", $0, plan) }
        let results = train(architecture, trainingConfig(tasks[0]), data, &inits, &batches, nil)
        return zip(tasks, results).map { mlpOutcome($0, architecture: architecture, result: $1, data: data) }
    }

    static func mlpArchitecture<T: BLASScalar>(_ task: PlannedTask, data: DataSplit<T>) -> MLPArchitecture {
        let layers = task.config["layers"]?.stringValue ?? ""
        let hidden = layers.isEmpty ? [Int](repeating: task.int("width"), count: task.int("depth"))
                                    : layers.split(separator: "-").map { Int($0)! }
        return MLPArchitecture(
            inputs: data.inputDimension, hidden: hidden,
            outputs: data.outputDimension, activation: Activation(rawValue: task.string("activation"))!,
            parameterization: Parameterization(rawValue: task.string("parameterization"))!)
    }

    static func mlpOutcome<T: BLASScalar>(_ task: PlannedTask, architecture: MLPArchitecture, result: TrainingOutcome<T>,
                                          data: DataSplit<T>) -> TaskOutcome {
        var metrics = result.metrics
        metrics["parameters"] = Double(architecture.parameterCount)
        if data.classes == 0 {   // regression: the MSE under its usual name too
            metrics["train_mse"] = metrics["train_loss"]
            metrics["test_mse"] = metrics["test_loss"]
        }
        var outcome = TaskOutcome(taskIndex: task.index, status: result.diverged ? .diverged : .ok, metrics: metrics,
                                  outputs: encodeOutputs(result.testOutputs, task),
                                  dataKey: task.dataKey, wallSeconds: 0)
        outcome.stopReason = result.stopReason
        outcome.curves = result.curves
        return outcome
    }

    /// The test outputs in the model's precision. They always go to rank 0, whose
    /// live statistics need them; the spec's `outputs` key decides what is stored.
    static func encodeOutputs<T: BLASScalar>(_ f: Matrix<T>, _ task: PlannedTask) -> EncodedMatrix? {
        EncodedMatrix(f)
    }

    /// The task's training options, from its config.
    static func trainingConfig(_ task: PlannedTask) -> TrainingConfig {
        let c = task.config
        let optimizerName = task.string("optimizer")
        let optimizer: OptimizerKind = optimizerName == "adam"
            ? .adam(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: c["weight_decay"]!.doubleValue!)
            : .sgd(momentum: optimizerName == "gd" ? 0 : c["momentum"]!.doubleValue!,
                   weightDecay: c["weight_decay"]!.doubleValue!)
        let schedule: LearningRateSchedule = task.string("lr_schedule") == "step"
            ? .step(every: task.int("lr_step_every"), factor: c["lr_step_factor"]!.doubleValue!) : .constant
        let tolerance = c["loss_tolerance"]!.doubleValue!
        let seconds = c["max_seconds"]!.doubleValue!
        return TrainingConfig(
            loss: Loss(rawValue: task.string("loss"))!, optimizer: optimizer,
            learningRate: c["learning_rate"]!.doubleValue!, schedule: schedule,
            batchSize: optimizerName == "gd" ? nil : c["batch_size"]!.intValue,
            maxEpochs: task.int("epochs"), stopAtInterpolation: task.string("stop") == "interpolation",
            lossTolerance: tolerance > 0 ? tolerance : nil, maxSeconds: seconds > 0 ? seconds : nil,
            curvePoints: task.int("curve_points"),
            earlyStoppingPatience: (c["early_stopping"]?.intValue ?? 0) > 0 ? c["early_stopping"]!.intValue : nil)
    }

    /// RMS distance on the test inputs between the model and the least-squares line
    /// fitted to the same training data (the "overfitting neural networks" check:
    /// a huge net's fit stays close to linear regression).
    static func linearFitGap(_ f: [Double], data: DataSplit<Double>) throws -> Double {
        let line = try minimumNormLeastSquares(data.train.inputs.appendingColumn(1), data.train.targets).x
        let predicted = matmul(data.test.inputs.appendingColumn(1), line)
        var s = 0.0
        for i in 0..<f.count { let d = f[i] - predicted.storage[i]; s += d * d }
        return (s / Double(max(1, f.count))).squareRoot()
    }
}
