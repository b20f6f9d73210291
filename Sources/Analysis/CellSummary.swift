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
///
/// Results are read in task order, which is seed order within a cell, so the
/// ensemble statistics do not depend on which rank finished first. Memory: one
/// accumulator per cell (a few test sets each, see `EnsembleAccumulator`).
public enum CellStatistics {
    public static func summarize(_ store: SweepStore) throws -> [CellSummary] {
        let tasks = try store.tasks()
        var order: [String] = []
        var cells: [String: CellSummary] = [:]
        var accumulators: [String: EnsembleAccumulator] = [:]
        var dataKeyOfCell: [String: String] = [:]
        var targetsCache: [String: [Double]] = [:]
        for t in tasks where cells[t.cell] == nil {
            order.append(t.cell)
            cells[t.cell] = CellSummary(cell: t.cell, config: t.config)
        }
        let cellOf = Dictionary(uniqueKeysWithValues: tasks.map { ($0.index, $0.cell) })
        for t in tasks { cells[t.cell]!.tasks += 1 }

        try store.forEachResult(includeOutputs: true) { r in
            guard let cell = cellOf[r.taskIndex] else { return }
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
            if targetsCache[r.dataKey] == nil {
                targetsCache[r.dataKey] = try store.targets(dataKey: r.dataKey)?.doubles()
            }
            guard let targets = targetsCache[r.dataKey], targets.count == out.rows * out.cols else { return }
            if accumulators[cell] == nil {
                let classification = !(cells[cell]!.configString("dataset") ?? "").hasPrefix("synthetic")
                accumulators[cell] = EnsembleAccumulator(rows: out.rows, cols: out.cols, classification: classification,
                                                         members: cells[cell]!.tasks)
                dataKeyOfCell[cell] = r.dataKey
            }
            guard accumulators[cell]!.rows == out.rows && accumulators[cell]!.cols == out.cols else { return }
            accumulators[cell]!.add(out.doubles(), targets: targets)
        }

        for cell in order {
            guard let acc = accumulators[cell], let key = dataKeyOfCell[cell], let targets = targetsCache[key] else { continue }
            cells[cell]!.ensembleSize = acc.count
            cells[cell]!.ensemble = EnsembleMetrics.evaluate(acc.ensembleMean, targets: targets, rows: acc.rows,
                                                             cols: acc.cols, classification: acc.classification)
            if acc.count >= 2 { cells[cell]!.fluctuation = acc.fluctuation }
            cells[cell]!.errorBySize = acc.errorBySize
            cells[cell]!.memberErrorInterval = Bootstrap.meanInterval(acc.memberErrors, key: cell)
        }
        return order.map { cells[$0]! }
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
