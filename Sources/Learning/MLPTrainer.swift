import Datasets
import Foundation
import Numerical

/// What training produced.
public struct TrainingOutcome<T: BLASScalar>: Sendable {
    public var diverged: Bool
    /// Why training stopped: "max_epochs", "interpolation", "loss_tolerance", "max_seconds", "diverged".
    public var stopReason: String
    public var epochs: Int
    /// Final metrics (see `MLPTrainer.evaluate`), plus `epochs`. No timings: metrics
    /// must be the same bits on any machine (the store records wall time beside them).
    public var metrics: [String: Double]
    public var curves: TrainingCurves
    /// Wall time of each epoch's training steps (without curve or stop-rule evaluation).
    public var epochSeconds: [Double]
    /// The parameters at the start and at the end of training (for pruning and rewinding).
    public var initialParameters: [T]
    public var finalParameters: [T]
    /// The parameters after `snapshotEpoch` epochs, when asked for (rewinding to an early iteration).
    public var snapshotParameters: [T]?
    /// f(x_test): M x C.
    public var testOutputs: Matrix<T>
}

/// Trains one MLP on one split: minibatch epochs in the order of `batchStream`,
/// stop rules checked between epochs, curves at log-spaced epochs.
public final class MLPTrainer<T: BLASScalar> {
    public let architecture: MLPArchitecture
    public let config: TrainingConfig
    public let data: DataSplit<T>
    /// Rows evaluated at once when measuring the whole train or test set.
    let evaluationChunk = 1000

    public init(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<T>) {
        precondition(architecture.inputs == data.inputDimension && architecture.outputs == data.outputDimension,
                     "network \(architecture.inputs)->\(architecture.outputs) does not fit data "
                        + "\(data.inputDimension)->\(data.outputDimension)")
        self.architecture = architecture
        self.config = config
        self.data = data
    }

    /// Trains from weights drawn from `initStream`, or from `startParameters` when given. With a
    /// `mask` (1 keeps a parameter, 0 prunes it; same layout as the parameters) the
    /// pruned parameters start at zero and stay exactly zero: their gradients are
    /// masked, so the optimizer's moments of them stay zero too, and the weights are
    /// masked again after every step.
    public func train(initStream: inout RandomStream, batchStream: inout RandomStream,
                      from startParameters: [T]? = nil, mask: [T]? = nil, snapshotEpoch: Int? = nil) -> TrainingOutcome<T> {
        let start = Date()
        let p = data.train.count, d = data.inputDimension, c = data.outputDimension
        let b = min(config.batchSize ?? p, p)
        let net = MLPNetwork<T>(architecture: architecture, capacity: max(b, min(evaluationChunk, max(p, data.test.count))))
        net.initialize(stream: &initStream)
        if let startParameters { net.parameters = startParameters }
        if let mask { applyMask(&net.parameters, mask) }
        let initial = net.parameters
        var rewindPoint: [T]? = snapshotEpoch == 0 ? initial : nil
        var optimizer = Optimizer<T>(kind: config.optimizer, parameterCount: architecture.parameterCount)
        var curves = TrainingCurves()
        let curveEpochs = config.curveEpochs

        let xBatch = UnsafeMutablePointer<T>.allocate(capacity: b * d)
        let yBatch = UnsafeMutablePointer<T>.allocate(capacity: b * c)
        let gradient = UnsafeMutablePointer<T>.allocate(capacity: b * c)
        defer { xBatch.deallocate(); yBatch.deallocate(); gradient.deallocate() }
        let labels = data.train.labels

        func snapshot() -> [String: Double] {
            var m = evaluate(net, data.train, prefix: "train").metrics
            let test = evaluate(net, data.test, prefix: "test")
            m.merge(test.metrics) { $1 }
            m["weight_distance"] = distance(net.parameters, initial)
            return m
        }
        if curveEpochs.contains(0) { curves.append(epoch: 0, snapshot()) }

        var bestValidation = Double.infinity
        var bestEpoch = 0
        var bestParameters: [T]?
        var epoch = 0
        var epochSeconds: [Double] = []
        var stopReason = "max_epochs"
        var diverged = false
        training: while epoch < config.maxEpochs {
            epoch += 1
            let epochStart = Date()
            let lr = config.schedule.rate(base: config.learningRate, epoch: epoch)
            let order = b < p ? batchStream.permutation(p) : Array(0..<p)
            var wrongThisEpoch = 0
            var unsatisfiedThisEpoch = 0
            var lossThisEpoch = 0.0
            var begin = 0
            while begin < p {
                let rows = min(b, p - begin)
                // Gather the batch's rows (a copy: cheap next to the gemms, and it keeps them contiguous).
                data.train.inputs.storage.withUnsafeBufferPointer { src in
                    for r in 0..<rows { (xBatch + r * d).update(from: src.baseAddress! + order[begin + r] * d, count: d) }
                }
                data.train.targets.storage.withUnsafeBufferPointer { src in
                    for r in 0..<rows { (yBatch + r * c).update(from: src.baseAddress! + order[begin + r] * c, count: c) }
                }
                net.forward(xBatch, rows: rows)
                let (lossSum, unsatisfied) = config.loss.evaluate(outputs: net.outputs, targets: yBatch, rows: rows,
                                                                  cols: c, gradient: gradient, scale: 1 / T(rows))
                guard lossSum.isFinite else { diverged = true; break training }
                lossThisEpoch += lossSum
                unsatisfiedThisEpoch += unsatisfied
                if let labels {
                    wrongThisEpoch += countWrong(net.outputs, rows: rows, cols: c) { labels[order[begin + $0]] }
                }
                net.backward(gradient)
                if let mask {
                    applyMask(&net.gradients, mask)
                    optimizer.update(&net.parameters, gradient: net.gradients, learningRate: lr)
                    applyMask(&net.parameters, mask)
                } else {
                    optimizer.update(&net.parameters, gradient: net.gradients, learningRate: lr)
                }
                begin += rows
            }
            epochSeconds.append(Date().timeIntervalSince(epochStart))
            if epoch == snapshotEpoch { rewindPoint = net.parameters }
            // Stop rules. The batch statistics above were taken while the weights moved,
            // so a candidate stop is confirmed on the whole training set first.
            if config.stopAtInterpolation && wrongThisEpoch == 0 && (!config.loss.isHinge || unsatisfiedThisEpoch == 0) {
                let now = evaluate(net, data.train, prefix: "train").metrics
                if (now["train_error"] ?? 0) == 0 && (now["train_unsatisfied"] ?? 0) == 0 {
                    stopReason = "interpolation"
                }
            }
            if stopReason == "max_epochs", let tol = config.lossTolerance, lossThisEpoch / Double(p) < tol {
                if evaluate(net, data.train, prefix: "train").metrics["train_loss"]! < tol { stopReason = "loss_tolerance" }
            }
            if let patience = config.earlyStoppingPatience, let validation = data.validation {
                let loss = evaluate(net, validation, prefix: "validation").metrics["validation_loss"]!
                if loss < bestValidation {
                    (bestValidation, bestEpoch, bestParameters) = (loss, epoch, net.parameters)
                } else if stopReason == "max_epochs" && epoch - bestEpoch >= patience {
                    stopReason = "early_stopping"
                }
            }
            if stopReason == "max_epochs", let limit = config.maxSeconds, Date().timeIntervalSince(start) > limit {
                stopReason = "max_seconds"
            }
            let stopping = stopReason != "max_epochs" || epoch == config.maxEpochs
            if curveEpochs.contains(epoch) || (stopping && !curveEpochs.isEmpty) {
                curves.append(epoch: epoch, snapshot())
            }
            if stopReason != "max_epochs" { break }
        }
        if diverged { stopReason = "diverged" }
        // Early stopping keeps the weights of the best validation epoch.
        if let bestParameters, !diverged { net.parameters = bestParameters }

        let train = evaluate(net, data.train, prefix: "train")
        let test = evaluate(net, data.test, prefix: "test")
        var metrics = train.metrics.merging(test.metrics) { $1 }
        metrics["weight_distance"] = distance(net.parameters, initial)
        metrics["epochs"] = Double(epoch)
        if let validation = data.validation {
            metrics.merge(evaluate(net, validation, prefix: "validation").metrics) { $1 }
            if bestParameters != nil { metrics["best_epoch"] = Double(bestEpoch) }
        }
        if diverged && curves.epochs.last != epoch && !curveEpochs.isEmpty { curves.append(epoch: epoch, metrics) }
        let anyNonFinite = test.outputs.storage.contains { !$0.isFinite }
        return TrainingOutcome(diverged: diverged || anyNonFinite, stopReason: anyNonFinite && !diverged ? "diverged" : stopReason,
                               epochs: epoch, metrics: metrics, curves: curves, epochSeconds: epochSeconds,
                               initialParameters: initial, finalParameters: net.parameters,
                               snapshotParameters: rewindPoint, testOutputs: test.outputs)
    }

    /// Loss, error, unsatisfied margins and ||f|| = sqrt(mean_i ||f(x_i)||^2) on a whole set,
    /// with the outputs.
    func evaluate(_ net: MLPNetwork<T>, _ set: Examples<T>, prefix: String) -> (metrics: [String: Double], outputs: Matrix<T>) {
        let n = set.count, c = data.outputDimension, d = data.inputDimension
        var outputs = Matrix<T>(rows: n, cols: c)
        var lossSum = 0.0, unsatisfied = 0, wrong = 0, norm2 = 0.0
        set.inputs.storage.withUnsafeBufferPointer { x in
            set.targets.storage.withUnsafeBufferPointer { y in
                outputs.storage.withUnsafeMutableBufferPointer { out in
                    var begin = 0
                    while begin < n {
                        let rows = min(net.capacity, n - begin)
                        net.forward(x.baseAddress! + begin * d, rows: rows)
                        let (l, u) = config.loss.evaluate(outputs: net.outputs, targets: y.baseAddress! + begin * c,
                                                          rows: rows, cols: c, gradient: nil, scale: 1)
                        lossSum += l
                        unsatisfied += u
                        if let labels = set.labels {
                            wrong += countWrong(net.outputs, rows: rows, cols: c) { labels[begin + $0] }
                        }
                        for i in 0..<(rows * c) {
                            out[begin * c + i] = net.outputs[i]
                            norm2 += net.outputs[i].double * net.outputs[i].double
                        }
                        begin += rows
                    }
                }
            }
        }
        var m: [String: Double] = [
            "\(prefix)_loss": n > 0 ? lossSum / Double(n) : 0,
            "\(prefix)_output_norm": n > 0 ? (norm2 / Double(n)).squareRoot() : 0,
        ]
        if set.labels != nil { m["\(prefix)_error"] = n > 0 ? Double(wrong) / Double(n) : 0 }
        if config.loss.isHinge { m["\(prefix)_unsatisfied"] = Double(unsatisfied) }
        return (m, outputs)
    }

    /// Rows whose prediction differs from the label: argmax for C > 1; for one
    /// output, label 1 is predicted when f > 0. NaN rows count as wrong.
    func countWrong(_ f: UnsafeMutablePointer<T>, rows: Int, cols: Int, label: (Int) -> Int) -> Int {
        var wrong = 0
        for r in 0..<rows {
            let row = f + r * cols
            var predicted: Int
            if cols == 1 {
                predicted = row[0] > 0 ? 1 : 0
                if row[0].isNaN { predicted = -1 }
            } else {
                predicted = 0
                for j in 1..<cols where row[j] > row[predicted] { predicted = j }
                for j in 0..<cols where row[j].isNaN { predicted = -1 }
            }
            if predicted != label(r) { wrong += 1 }
        }
        return wrong
    }

    func applyMask(_ values: inout [T], _ mask: [T]) {
        values.withUnsafeMutableBufferPointer { v in
            mask.withUnsafeBufferPointer { m in for i in v.indices { v[i] *= m[i] } }
        }
    }

    func distance(_ a: [T], _ b: [T]) -> Double {
        var s = 0.0
        for i in a.indices { let d = a[i].double - b[i].double; s += d * d }
        return s.squareRoot()
    }
}

/// Non-generic entry points. Swift specializes generic code for a concrete type
/// only where that type is known inside this module; called from another module,
/// `MLPTrainer<Float>` would run every arithmetic operation through a witness
/// table (measured: 15x slower than the step's sgemms). These two pin the types here.
public enum MLPTraining {
    public static func train(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<Float>,
                             initStream: inout RandomStream, batchStream: inout RandomStream) -> TrainingOutcome<Float> {
        MLPTrainer<Float>(architecture: architecture, config: config, data: data)
            .train(initStream: &initStream, batchStream: &batchStream)
    }

    public static func train(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<Double>,
                             initStream: inout RandomStream, batchStream: inout RandomStream) -> TrainingOutcome<Double> {
        MLPTrainer<Double>(architecture: architecture, config: config, data: data)
            .train(initStream: &initStream, batchStream: &batchStream)
    }
}

extension MLPTraining {
    /// Lottery-ticket rounds (see `LotteryTicket`), specialized here like `train`.
    public static func lottery(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<Float>,
                               pruning: PruningConfig, seed: UInt64, key: String)
        -> (rounds: [LotteryRound], last: TrainingOutcome<Float>) {
        LotteryTicket.run(architecture: architecture, config: config, data: data, pruning: pruning, seed: seed, key: key)
    }

    public static func lottery(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<Double>,
                               pruning: PruningConfig, seed: UInt64, key: String)
        -> (rounds: [LotteryRound], last: TrainingOutcome<Double>) {
        LotteryTicket.run(architecture: architecture, config: config, data: data, pruning: pruning, seed: seed, key: key)
    }
}
