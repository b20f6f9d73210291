import Foundation
import Numerical
import Store

/// The statistics of one cell (every swept axis fixed, seeds varying).
public struct CellSummary: Sendable {
    public let cell: String
    /// The config of the cell's first task, as stored (JSON).
    public let config: String
    public var tasks = 0
    public var ok = 0
    public var diverged = 0
    /// Seeds whose network fitted every training point (zero training error, and
    /// for hinge losses zero unsatisfied margins).
    public var fitted = 0
    /// Per metric, over the seeds whose task finished ok.
    public var metrics: [String: RunningMoments] = [:]
    /// Metrics of the ensemble-averaged prediction f̄ = mean over seeds of f(x_test):
    /// `test_mse`, and `test_error` for classification.
    public var ensemble: [String: Double] = [:]
    /// Members averaged into `ensemble`.
    public var ensembleSize = 0
    /// Mean over seeds and test points of ||f - f̄||^2 (needs 2 members or more).
    public var fluctuation: Double?
    /// Test error (MSE for regression) of ensembles of 1, 2, 4, ... members.
    public var errorBySize: [(size: Int, error: Double, groups: Int)] = []
    /// 95 % bootstrap interval of the mean single-net test error over seeds.
    public var memberErrorInterval: (low: Double, high: Double)?

    /// A numeric value of the cell's config (e.g. width, train_size).
    public func configValue(_ key: String) -> Double? {
        guard let data = config.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (object[key] as? NSNumber)?.doubleValue
    }

    public func configString(_ key: String) -> String? {
        guard let data = config.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object[key] as? String
    }
}

/// Builds cell summaries from a store in one streaming pass over its results.
public enum CellStatistics {
    public static func summarize(_ store: SweepStore) throws -> [CellSummary] {
        let builder = CellStatisticsBuilder(tasks: try store.tasks()) { try store.targets(dataKey: $0)?.doubles() }
        try store.forEachResult(includeOutputs: true) { try builder.add($0) }
        return try builder.finish()
    }
}

/// Folds results into per-cell statistics in plan order (seed order within a cell),
/// whatever order they arrive in: a result whose predecessors in its cell are still
/// missing waits in a buffer. So the numbers are the same bits whether they come
/// from a store read in order (`overparam analyze`) or live from ranks that finish
/// in any order (`overparam sweep`). Memory: one accumulator per cell (a few test
/// sets, see `EnsembleAccumulator`) plus the results waiting, at most the tasks in
/// flight.
public final class CellStatisticsBuilder {
    private var order: [String] = []
    private var cells: [String: CellSummary] = [:]
    private var accumulators: [String: EnsembleAccumulator] = [:]
    private var dataKeyOfCell: [String: String] = [:]
    private var targetsCache: [String: [Double]] = [:]
    private let targets: (String) throws -> [Double]?
    /// Per cell: its task indices in plan order, and how many have been folded or skipped.
    private var sequence: [String: [Int]] = [:]
    private var position: [String: Int] = [:]
    private var waiting: [Int: ResultRecord] = [:]
    private var skipped = Set<Int>()
    private var cellOf: [Int: String] = [:]

    /// - Parameter targets: the test targets of a data key (one-hot, +-1 or values).
    public init(tasks: [TaskRecord], targets: @escaping (String) throws -> [Double]?) {
        self.targets = targets
        addTasks(tasks)
    }

    /// Tasks that joined the plan (the adaptive mode's new widths), before any of
    /// their results arrive.
    public func addTasks(_ tasks: [TaskRecord]) {
        for t in tasks.sorted(by: { $0.index < $1.index }) {
            if cells[t.cell] == nil {
                order.append(t.cell)
                cells[t.cell] = CellSummary(cell: t.cell, config: t.config)
                position[t.cell] = 0
            }
            cells[t.cell]!.tasks += 1
            sequence[t.cell, default: []].append(t.index)
            cellOf[t.index] = t.cell
        }
    }

    public func add(_ r: ResultRecord) throws {
        guard let cell = cellOf[r.taskIndex] else { return }
        waiting[r.taskIndex] = r
        try drain(cell)
    }

    /// A task that will not arrive (it failed): later seeds of its cell go on without it.
    public func skip(taskIndex: Int) throws {
        guard let cell = cellOf[taskIndex] else { return }
        skipped.insert(taskIndex)
        try drain(cell)
    }

    /// The summaries; results still waiting behind a missing task are folded in order.
    public func finish() throws -> [CellSummary] {
        for cell in order {
            while position[cell]! < sequence[cell]!.count {
                let index = sequence[cell]![position[cell]!]
                if let r = waiting.removeValue(forKey: index) { try fold(r, cell) }
                position[cell]! += 1
            }
        }
        return summaries()
    }

    /// The summaries of what has been folded so far.
    public func summaries() -> [CellSummary] {
        order.map { cell in
            var c = cells[cell]!
            guard let acc = accumulators[cell], let key = dataKeyOfCell[cell], let y = targetsCache[key] else { return c }
            c.ensembleSize = acc.count
            c.ensemble = EnsembleMetrics.evaluate(acc.ensembleMean, targets: y, rows: acc.rows, cols: acc.cols,
                                                  classification: acc.classification)
            // Cross-entropy outputs are logits: their squared distance to one-hot targets means nothing.
            if c.configString("loss") == "cross_entropy" { c.ensemble["test_mse"] = nil }
            if acc.count >= 2 { c.fluctuation = acc.fluctuation }
            c.errorBySize = acc.errorBySize
            c.memberErrorInterval = Bootstrap.meanInterval(acc.memberErrors, key: cell)
            return c
        }
    }

    private func drain(_ cell: String) throws {
        let indices = sequence[cell]!
        while position[cell]! < indices.count {
            let index = indices[position[cell]!]
            if let r = waiting.removeValue(forKey: index) {
                try fold(r, cell)
            } else if !skipped.contains(index) {
                return
            }
            position[cell]! += 1
        }
    }

    private func fold(_ r: ResultRecord, _ cell: String) throws {
        if r.status == "diverged" { cells[cell]!.diverged += 1 }
        guard r.status == "ok" else { return }
        cells[cell]!.ok += 1
        for (name, value) in r.metrics where value.isFinite {
            cells[cell]!.metrics[name, default: RunningMoments()].add(value)
        }
        if (r.metrics["train_error"] ?? r.metrics["train_mse"].map { $0 < 1e-12 ? 0 : 1 } ?? 1) == 0
            && (r.metrics["train_unsatisfied"] ?? 0) == 0 {
            cells[cell]!.fitted += 1
        }
        guard let out = r.outputs, out.problem == nil else { return }
        if targetsCache[r.dataKey] == nil { targetsCache[r.dataKey] = try targets(r.dataKey) }
        guard let y = targetsCache[r.dataKey], y.count == out.rows * out.cols else { return }
        if accumulators[cell] == nil {
            let classification = !(cells[cell]!.configString("dataset") ?? "").hasPrefix("synthetic")
            accumulators[cell] = EnsembleAccumulator(rows: out.rows, cols: out.cols, classification: classification,
                                                     members: cells[cell]!.tasks)
            dataKeyOfCell[cell] = r.dataKey
        }
        guard accumulators[cell]!.rows == out.rows && accumulators[cell]!.cols == out.cols else { return }
        accumulators[cell]!.add(out.doubles(), targets: y)
    }
}

/// Test metrics of one prediction matrix against targets (both rows x cols).
public enum EnsembleMetrics {
    /// `test_mse` always; `test_error` for classification: argmax against one-hot
    /// targets for cols > 1, sign against +-1 targets for one output.
    public static func evaluate(_ f: [Double], targets y: [Double], rows: Int, cols: Int,
                                classification: Bool = true) -> [String: Double] {
        precondition(f.count == rows * cols && y.count == rows * cols)
        var sq = 0.0
        for i in 0..<f.count { let d = f[i] - y[i]; sq += d * d }
        var out = ["test_mse": rows > 0 ? sq / Double(rows) : 0]
        if classification && (cols > 1 || y.allSatisfy { $0 == 1 || $0 == -1 }) {
            out["test_error"] = EnsembleAccumulator(rows: rows, cols: cols, classification: true, members: 1).error(f, y)
        }
        return out
    }
}
