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
    /// Per metric, over the seeds whose task finished ok.
    public var metrics: [String: RunningMoments] = [:]
    /// Metrics of the ensemble-averaged prediction f̄ = mean over seeds of f(x_test):
    /// `test_mse`, and `test_error` for classification.
    public var ensemble: [String: Double] = [:]
    /// Members averaged into `ensemble`.
    public var ensembleSize = 0
}

/// Builds cell summaries from a store in one streaming pass over its results.
///
/// Results are read in task order, which is seed order within a cell, so the
/// ensemble sums (and the numbers) do not depend on which rank finished first.
/// Memory: one running sum of outputs per cell (cells x test size x outputs).
public enum CellStatistics {
    public static func summarize(_ store: SweepStore) throws -> [CellSummary] {
        let tasks = try store.tasks()
        var order: [String] = []
        var cells: [String: CellSummary] = [:]
        var outputSums: [String: [Double]] = [:]
        var outputShape: [String: (rows: Int, cols: Int, dataKey: String)] = [:]
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
            guard let out = r.outputs, out.problem == nil else { return }
            let values = out.doubles()
            if let shape = outputShape[cell] {
                guard shape.rows == out.rows && shape.cols == out.cols else { return }
                var sum = outputSums[cell]!
                for i in 0..<values.count { sum[i] += values[i] }
                outputSums[cell] = sum
            } else {
                outputShape[cell] = (out.rows, out.cols, r.dataKey)
                outputSums[cell] = values
            }
            cells[cell]!.ensembleSize += 1
        }

        for cell in order {
            guard let sum = outputSums[cell], let shape = outputShape[cell],
                  let targets = try store.targets(dataKey: shape.dataKey)?.doubles() else { continue }
            let k = Double(cells[cell]!.ensembleSize)
            let mean = sum.map { $0 / k }
            cells[cell]!.ensemble = EnsembleMetrics.evaluate(mean, targets: targets, rows: shape.rows, cols: shape.cols)
        }
        return order.map { cells[$0]! }
    }
}

/// Test metrics of one prediction matrix against targets (both rows x cols).
public enum EnsembleMetrics {
    public static func evaluate(_ f: [Double], targets y: [Double], rows: Int, cols: Int) -> [String: Double] {
        precondition(f.count == rows * cols && y.count == rows * cols)
        var sq = 0.0
        for i in 0..<f.count { let d = f[i] - y[i]; sq += d * d }
        var out = ["test_mse": rows > 0 ? sq / Double(rows) : 0]
        if cols > 1 {   // one-hot targets: classification
            var wrong = 0
            for i in 0..<rows {
                let fr = f[(i * cols)..<((i + 1) * cols)], yr = y[(i * cols)..<((i + 1) * cols)]
                if fr.contains(where: \.isNaN) || fr.indices.max(by: { fr[$0] < fr[$1] }) != yr.indices.max(by: { yr[$0] < yr[$1] }) {
                    wrong += 1
                }
            }
            out["test_error"] = rows > 0 ? Double(wrong) / Double(rows) : 0
        }
        return out
    }
}
