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

/// Trains MLPs on one split: minibatch epochs, stop rules checked between epochs,
/// curves at log-spaced epochs. One net, or an ensemble of K nets of the same
/// architecture trained in lockstep as one BLAS problem (see `MLPNetwork`), each
/// with its own initialization and stop rules: a net that stops leaves the
/// ensemble, the others go on. A net trained in an ensemble computes what it
/// computes alone, up to the rounding of the GEMMs' different shapes.
public final class MLPTrainer<T: BLASScalar> {
    public let architecture: MLPArchitecture
    public let config: TrainingConfig
    public let data: DataSplit<T>
    /// Rows evaluated at once when measuring the whole train or test set.
    let evaluationChunk = 1000
    /// Called after each epoch's training steps, before the stop rules (benchmarks
    /// time other work in between, so machine noise hits both alike).
    public var afterEpoch: ((Int) -> Void)?

    public init(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<T>) {
        precondition(architecture.inputs == data.inputDimension && architecture.outputs == data.outputDimension,
                     "network \(architecture.inputs)->\(architecture.outputs) does not fit data "
                        + "\(data.inputDimension)->\(data.outputDimension)")
        self.architecture = architecture
        self.config = config
        self.data = data
    }

    /// Trains one net from weights drawn from `initStream`, or from `startParameters` when given. With a
    /// `mask` (1 keeps a parameter, 0 prunes it; same layout as the parameters) the
    /// pruned parameters start at zero and stay exactly zero: their gradients are
    /// masked, so the optimizer's moments of them stay zero too, and the weights are
    /// masked again after every step.
    public func train(initStream: inout RandomStream, batchStream: inout RandomStream,
                      from startParameters: [T]? = nil, mask: [T]? = nil, snapshotEpoch: Int? = nil) -> TrainingOutcome<T> {
        var inits = [initStream], batches = [batchStream]
        let out = train(initStreams: &inits, batchStreams: &batches, from: startParameters.map { [$0] },
                        masks: mask.map { [$0] }, snapshotEpoch: snapshotEpoch)
        (initStream, batchStream) = (inits[0], batches[0])
        return out[0]
    }

    /// Trains K = `initStreams.count` nets in lockstep; net k's weights come from
    /// `initStreams[k]` (or `startParameters[k]`). With one batch stream every net
    /// sees the same minibatches (the first layer of a group of nets is then one
    /// GEMM); with K, net k walks the data in its own order. Returns the K outcomes
    /// in order.
    ///
    /// The K nets run as groups of `groupSize(members:)` (see there), one group after
    /// the other at every step: each group is one `MLPNetwork` with its own optimizer.
    public func train(initStreams: inout [RandomStream], batchStreams: inout [RandomStream],
                      from startParameters: [[T]]? = nil, masks: [[T]]? = nil,
                      snapshotEpoch: Int? = nil) -> [TrainingOutcome<T>] {
        let start = Date()
        let K = initStreams.count
        precondition(K >= 1 && (batchStreams.count == 1 || batchStreams.count == K))
        let p = data.train.count, d = data.inputDimension, c = data.outputDimension
        let b = min(config.batchSize ?? p, p)
        let size = groupSize(members: K)
        var groups: [Group] = stride(from: 0, to: K, by: size).map { first in
            let members = Array(first..<min(K, first + size))
            let net = MLPNetwork<T>(architecture: architecture, capacity: b, members: members.count)
            var streams = members.map { initStreams[$0] }
            net.initialize(streams: &streams)
            for (slot, k) in members.enumerated() {
                initStreams[k] = streams[slot]
                if let startParameters { net.layout.insert(startParameters[k], member: slot, into: &net.parameters) }
            }
            let mask: [T]? = masks.map { masks in
                var buffer = [T](repeating: 0, count: net.layout.parameterCount)
                for (slot, k) in members.enumerated() { net.layout.insert(masks[k], member: slot, into: &buffer) }
                return buffer
            }
            if let mask { applyMask(&net.parameters, mask) }
            return Group(net: net, optimizer: Optimizer<T>(kind: config.optimizer, parameterCount: net.layout.parameterCount),
                         mask: mask, active: members)
        }
        var members = [Member]()
        for group in groups {
            for slot in group.active.indices { members.append(Member(initial: group.net.layout.extract(group.net.parameters, member: slot))) }
        }
        if snapshotEpoch == 0 { for k in 0..<K { members[k].rewindPoint = members[k].initial } }
        // Whole-set measurements run one net at a time, on its own parameters.
        let evaluator = MLPNetwork<T>(architecture: architecture,
                                      capacity: max(b, min(evaluationChunk, max(p, data.test.count))))
        let curveEpochs = config.curveEpochs
        let orderCount = batchStreams.count == 1 || b >= p ? 1 : K

        let xBatch = UnsafeMutablePointer<T>.allocate(capacity: orderCount * b * d)
        let yBatch = UnsafeMutablePointer<T>.allocate(capacity: orderCount * b * c)
        let gradient = UnsafeMutablePointer<T>.allocate(capacity: size * b * c)
        defer { xBatch.deallocate(); yBatch.deallocate(); gradient.deallocate() }
        let labels = data.train.labels

        func evaluate(_ g: Int, slot: Int, _ set: Examples<T>, prefix: String) -> (metrics: [String: Double], outputs: Matrix<T>) {
            evaluator.parameters = groups[g].net.layout.extract(groups[g].net.parameters, member: slot)
            return self.evaluate(evaluator, set, prefix: prefix)
        }
        func snapshot(_ g: Int, slot: Int) -> [String: Double] {
            var m = evaluate(g, slot: slot, data.train, prefix: "train").metrics
            m.merge(evaluate(g, slot: slot, data.test, prefix: "test").metrics) { $1 }
            m["weight_distance"] = distance(evaluator.parameters, members[groups[g].active[slot]].initial)
            return m
        }
        if curveEpochs.contains(0) {
            for g in groups.indices {
                for slot in groups[g].active.indices { members[groups[g].active[slot]].curves.append(epoch: 0, snapshot(g, slot: slot)) }
            }
        }

        var outcomes = [TrainingOutcome<T>?](repeating: nil, count: K)
        var epoch = 0
        var epochSeconds: [Double] = []
        /// Net `groups[g].active[slot]` is done: its outcome from its current weights.
        func retire(_ g: Int, slot: Int, stopReason: String, diverged: Bool) {
            let k = groups[g].active[slot]
            outcomes[k] = finish(members[k], parameters: groups[g].net.layout.extract(groups[g].net.parameters, member: slot),
                                 epoch: epoch, stopReason: stopReason, diverged: diverged, epochSeconds: epochSeconds,
                                 curveEpochs: curveEpochs, evaluator: evaluator)
        }

        training: while epoch < config.maxEpochs && !groups.isEmpty {
            epoch += 1
            let epochStart = Date()
            let lr = config.schedule.rate(base: config.learningRate, epoch: epoch)
            // Batch orders: one for all, or one per running net (row i of the batch buffers).
            let running = groups.flatMap(\.active)
            let orders = b >= p ? [Array(0..<p)]
                : orderCount == 1 ? [batchStreams[0].permutation(p)] : running.map { batchStreams[$0].permutation(p) }
            let orderRow = Dictionary(uniqueKeysWithValues: running.enumerated().map { ($1, orders.count == 1 ? 0 : $0) })
            for k in running { members[k].startEpoch() }
            var begin = 0
            while begin < p {
                let rows = min(b, p - begin)
                // Gather the batch's rows (a copy: cheap next to the gemms, and it keeps them contiguous).
                for (i, order) in orders.enumerated() {
                    let xs = xBatch + i * b * d, ys = yBatch + i * b * c
                    data.train.inputs.storage.withUnsafeBufferPointer { src in
                        for r in 0..<rows { (xs + r * d).update(from: src.baseAddress! + order[begin + r] * d, count: d) }
                    }
                    data.train.targets.storage.withUnsafeBufferPointer { src in
                        for r in 0..<rows { (ys + r * c).update(from: src.baseAddress! + order[begin + r] * c, count: c) }
                    }
                }
                for g in groups.indices {
                    let net = groups[g].net
                    let rowsOf = groups[g].active.map { orderRow[$0]! }
                    net.forward(orders.count == 1 ? [UnsafePointer(xBatch)] : rowsOf.map { UnsafePointer(xBatch + $0 * b * d) },
                                rows: rows)
                    var diverging: [Int] = []
                    for slot in groups[g].active.indices {
                        let k = groups[g].active[slot], o = rowsOf[slot]
                        let (lossSum, unsatisfied) = config.loss.evaluate(
                            outputs: net.outputs(member: slot), targets: yBatch + o * b * c, rows: rows, cols: c,
                            gradient: gradient + slot * rows * c, scale: 1 / T(rows))
                        guard lossSum.isFinite else {
                            diverging.append(slot)
                            (gradient + slot * rows * c).update(repeating: 0, count: rows * c)
                            continue
                        }
                        members[k].lossThisEpoch += lossSum
                        members[k].unsatisfiedThisEpoch += unsatisfied
                        if let labels {
                            let order = orders[o]
                            members[k].wrongThisEpoch +=
                                countWrong(net.outputs(member: slot), rows: rows, cols: c) { labels[order[begin + $0]] }
                        }
                    }
                    // A net whose loss is no longer finite stops here, with the weights that gave it.
                    for slot in diverging { retire(g, slot: slot, stopReason: "diverged", diverged: true) }
                    if diverging.count < groups[g].active.count {
                        net.backward(gradient)
                        if let mask = groups[g].mask {
                            applyMask(&net.gradients, mask)
                            groups[g].optimizer.update(&net.parameters, gradient: &net.gradients, learningRate: lr)
                            applyMask(&net.parameters, mask)
                        } else {
                            groups[g].optimizer.update(&net.parameters, gradient: &net.gradients, learningRate: lr)
                        }
                    }
                    groups[g].drop(diverging, architecture: architecture, capacity: b)
                }
                groups.removeAll { $0.active.isEmpty }
                if groups.isEmpty { break training }
                begin += rows
            }
            epochSeconds.append(Date().timeIntervalSince(epochStart))
            afterEpoch?(epoch)
            let outOfTime = config.maxSeconds.map { Date().timeIntervalSince(start) > $0 } ?? false
            for g in groups.indices {
                var stopped: [Int] = []
                for slot in groups[g].active.indices {
                    let k = groups[g].active[slot]
                    if epoch == snapshotEpoch {
                        members[k].rewindPoint = groups[g].net.layout.extract(groups[g].net.parameters, member: slot)
                    }
                    // Stop rules. The batch statistics above were taken while the weights moved,
                    // so a candidate stop is confirmed on the whole training set first.
                    var stopReason = "max_epochs"
                    let m = members[k]
                    if config.stopAtInterpolation && m.wrongThisEpoch == 0
                        && (!config.loss.isHinge || m.unsatisfiedThisEpoch == 0) {
                        let now = evaluate(g, slot: slot, data.train, prefix: "train").metrics
                        if (now["train_error"] ?? 0) == 0 && (now["train_unsatisfied"] ?? 0) == 0 {
                            stopReason = "interpolation"
                        }
                    }
                    if stopReason == "max_epochs", let tol = config.lossTolerance, m.lossThisEpoch / Double(p) < tol {
                        if evaluate(g, slot: slot, data.train, prefix: "train").metrics["train_loss"]! < tol {
                            stopReason = "loss_tolerance"
                        }
                    }
                    if let patience = config.earlyStoppingPatience, let validation = data.validation {
                        let loss = evaluate(g, slot: slot, validation, prefix: "validation").metrics["validation_loss"]!
                        if loss < m.bestValidation {
                            (members[k].bestValidation, members[k].bestEpoch) = (loss, epoch)
                            members[k].bestParameters = evaluator.parameters
                        } else if stopReason == "max_epochs" && epoch - m.bestEpoch >= patience {
                            stopReason = "early_stopping"
                        }
                    }
                    if stopReason == "max_epochs" && outOfTime { stopReason = "max_seconds" }
                    let stopping = stopReason != "max_epochs" || epoch == config.maxEpochs
                    if curveEpochs.contains(epoch) || (stopping && !curveEpochs.isEmpty) {
                        members[k].curves.append(epoch: epoch, snapshot(g, slot: slot))
                    }
                    if stopping {
                        retire(g, slot: slot, stopReason: stopReason, diverged: false)
                        stopped.append(slot)
                    }
                }
                groups[g].drop(stopped, architecture: architecture, capacity: b)
            }
            groups.removeAll { $0.active.isEmpty }
        }
        return outcomes.map { $0! }
    }

    /// How many nets train as one `MLPNetwork`: as many as keep the group's weights,
    /// gradients and optimizer moments (16 bytes a parameter in Float32) within about
    /// 4 MB, so a step's passes over them stay in cache. More nets per group share
    /// each GEMM call's fixed costs (tiny nets gain most); past that size the group
    /// streams through memory and each net is faster on its own. Depends on the
    /// architecture only, so which nets train together never depends on the machine.
    public func groupSize(members: Int) -> Int {
        let bytesPerNet = 4 * MemoryLayout<T>.size * architecture.parameterCount
        return max(1, min(members, (4 << 20) / max(1, bytesPerNet)))
    }

    /// Nets that train as one `MLPNetwork`, with their optimizer.
    struct Group {
        var net: MLPNetwork<T>
        var optimizer: Optimizer<T>
        var mask: [T]?
        /// Slot s of `net` trains net active[s] of the caller's list.
        var active: [Int]

        /// Leaves out the retired slots.
        mutating func drop(_ slots: [Int], architecture: MLPArchitecture, capacity: Int) {
            guard !slots.isEmpty else { return }
            let kept = active.indices.filter { !slots.contains($0) }
            let old = net.layout
            if !kept.isEmpty {
                let smaller = MLPNetwork<T>(architecture: architecture, capacity: capacity, members: kept.count)
                smaller.parameters = old.compact(net.parameters, keeping: kept, zero: 0)
                net = smaller
            }
            optimizer.remap { old.compact($0, keeping: kept, zero: 0) }
            mask = mask.map { old.compact($0, keeping: kept, zero: 0) }
            active = kept.map { active[$0] }
        }
    }

    /// What one net of an ensemble carries besides its weights.
    struct Member {
        let initial: [T]
        var rewindPoint: [T]?
        var curves = TrainingCurves()
        var bestValidation = Double.infinity
        var bestEpoch = 0
        var bestParameters: [T]?
        var lossThisEpoch = 0.0
        var wrongThisEpoch = 0
        var unsatisfiedThisEpoch = 0

        init(initial: [T]) { self.initial = initial }

        mutating func startEpoch() { (lossThisEpoch, wrongThisEpoch, unsatisfiedThisEpoch) = (0, 0, 0) }
    }

    /// A stopped net's outcome: its final metrics on every set, measured on `parameters`
    /// (or, with early stopping, on the best validation epoch's weights).
    func finish(_ member: Member, parameters: [T], epoch: Int, stopReason: String, diverged: Bool,
                epochSeconds: [Double], curveEpochs: Set<Int>, evaluator: MLPNetwork<T>) -> TrainingOutcome<T> {
        var curves = member.curves
        evaluator.parameters = parameters
        if let best = member.bestParameters, !diverged { evaluator.parameters = best }
        let train = evaluate(evaluator, data.train, prefix: "train")
        let test = evaluate(evaluator, data.test, prefix: "test")
        var metrics = train.metrics.merging(test.metrics) { $1 }
        metrics["weight_distance"] = distance(evaluator.parameters, member.initial)
        metrics["epochs"] = Double(epoch)
        if let validation = data.validation {
            metrics.merge(evaluate(evaluator, validation, prefix: "validation").metrics) { $1 }
            if member.bestParameters != nil { metrics["best_epoch"] = Double(member.bestEpoch) }
        }
        if diverged && curves.epochs.last != epoch && !curveEpochs.isEmpty { curves.append(epoch: epoch, metrics) }
        let anyNonFinite = test.outputs.storage.contains { !$0.isFinite }
        return TrainingOutcome(diverged: diverged || anyNonFinite, stopReason: anyNonFinite && !diverged ? "diverged" : stopReason,
                               epochs: epoch, metrics: metrics, curves: curves, epochSeconds: epochSeconds,
                               initialParameters: member.initial, finalParameters: evaluator.parameters,
                               snapshotParameters: member.rewindPoint, testOutputs: test.outputs)
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
    /// K nets in lockstep (see `MLPTrainer.train(initStreams:batchStreams:)`), specialized here like `train`.
    public static func train(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<Float>,
                             initStreams: inout [RandomStream], batchStreams: inout [RandomStream],
                             afterEpoch: ((Int) -> Void)? = nil) -> [TrainingOutcome<Float>] {
        let trainer = MLPTrainer<Float>(architecture: architecture, config: config, data: data)
        trainer.afterEpoch = afterEpoch
        return trainer.train(initStreams: &initStreams, batchStreams: &batchStreams)
    }

    public static func train(architecture: MLPArchitecture, config: TrainingConfig, data: DataSplit<Double>,
                             initStreams: inout [RandomStream], batchStreams: inout [RandomStream],
                             afterEpoch: ((Int) -> Void)? = nil) -> [TrainingOutcome<Double>] {
        let trainer = MLPTrainer<Double>(architecture: architecture, config: config, data: data)
        trainer.afterEpoch = afterEpoch
        return trainer.train(initStreams: &initStreams, batchStreams: &batchStreams)
    }

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
